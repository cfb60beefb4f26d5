import { BaseError } from "../protocol/BaseError.ts";
import {
  type ChannelKey,
  type ChannelStorage,
  channelStorageKey,
  matchesFilter,
  type StoredChannel,
} from "./ChannelStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";
import { parseStoredChannel, type SerializedChannel, serializeChannel } from "./serializeChannel.ts";

/**
 * Options of {@link indexedDbStorage}.
 *
 * @example
 * import { type IndexedDbStorageOptions, indexedDbStorage } from "@micro-raiden/web-client";
 * const options: IndexedDbStorageOptions = { name: "micro-raiden-wallet-2" };
 * const storage = indexedDbStorage(options);
 */
export type IndexedDbStorageOptions = {
  /** The database name, and the localStorage key prefix before ":channel:". Default "micro-raiden". */
  name?: string;
  /** The IndexedDB to use instead of the global one (tests pass fake-indexeddb's). */
  indexedDB?: IDBFactory;
  /** The Storage to fall back to instead of the global localStorage. */
  fallback?: Storage;
};

const storeName = "channels";

/**
 * Channel storage for browsers: an IndexedDB database (object store "channels", keyed by `channelStorageKey`)
 * whose puts resolve only when their readwrite transaction completes, with strict durability where the browser
 * supports it. Where IndexedDB is missing or cannot be opened (Firefox private mode, some sandboxed frames) it
 * falls back to localStorage, or to `fallback`, under keys prefixed "micro-raiden:channel:". Either way the
 * values are `serializeChannel`'s output, validated on read: a tampered or corrupted entry makes the call reject
 * with {@link InvalidStoredChannelError}.
 *
 * @example
 * import { indexedDbStorage } from "@micro-raiden/web-client";
 * const storage = indexedDbStorage();
 * await storage.put(channel);
 * const channels = await storage.list({ chainId: 1, contract, sender });
 */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): ChannelStorage {
  const name = options.name ?? "micro-raiden";
  let backend: Promise<ChannelStorage> | undefined;

  const connect = (): Promise<ChannelStorage> => {
    if (backend !== undefined) return backend;
    const attempt = choose();
    backend = attempt;
    // A failed attempt is not remembered, so a later call can try again.
    attempt.catch(() => {
      if (backend === attempt) backend = undefined;
    });
    return attempt;
  };

  const choose = async (): Promise<ChannelStorage> => {
    const factory = options.indexedDB ?? globalIndexedDb();
    let openError: unknown;
    if (factory !== undefined) {
      try {
        const database = await openDatabase(factory, name);
        // Let another tab upgrade the database, and reopen on the next call if the browser closes it (storage
        // cleared, disk error) instead of failing forever on a dead connection.
        database.onversionchange = () => {
          database.close();
          backend = undefined;
        };
        database.onclose = () => {
          backend = undefined;
        };
        return databaseStorage(database, name);
      } catch (error) {
        // A newer release has upgraded the database: falling back would hide every channel it holds.
        if (error instanceof DOMException && error.name === "VersionError") throw error;
        openError = error;
      }
    }
    const storage = options.fallback ?? globalLocalStorage();
    if (storage === undefined) {
      throw new BaseError("No channel storage available: neither IndexedDB nor localStorage can be used.", {
        cause: openError,
      });
    }
    return webStorage(storage, `${name}:channel:`);
  };

  return {
    get: async (key) => (await connect()).get(key),
    list: async (filter) => (await connect()).list(filter),
    put: async (channel) => (await connect()).put(channel),
    delete: async (key) => (await connect()).delete(key),
  };
}

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  // Some browsers throw from open() itself instead of firing error; the executor turns that into a rejection.
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      // Out-of-line keys: the key is derived from the value, and keeping it outside leaves the value exactly the
      // serialized form.
      request.result.createObjectStore(storeName);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new BaseError(`Could not open IndexedDB database ${name}.`));
  });
}

/**
 * Runs one transaction on the channel store and resolves once it has completed, which for a readwrite one means
 * committed. `run` issues the requests and returns a reader of their results, called only after completion.
 */
function transact<T>(
  database: IDBDatabase,
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => () => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    // "strict" asks the browser to flush to disk before completing; browsers without it ignore the option.
    const transaction = database.transaction(storeName, mode, mode === "readwrite" ? { durability: "strict" } : {});
    const read = run(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolve(read());
    // A failed request aborts its transaction, so abort is the one place every failure arrives.
    transaction.onabort = () =>
      reject(transaction.error ?? new BaseError(`IndexedDB transaction on ${storeName} was aborted.`));
  });
}

function databaseStorage(database: IDBDatabase, name: string): ChannelStorage {
  const source = (key: IDBValidKey) => `IndexedDB ${name}/${storeName}/${String(key)}`;
  return {
    async get(key) {
      const storageKey = channelStorageKey(key);
      const value = await transact(database, "readonly", (store) => {
        const request = store.get(storageKey);
        return (): unknown => request.result;
      });
      return value === undefined ? undefined : decode(value, storageKey, source(storageKey));
    },
    async list(filter) {
      // Both come in key order within one transaction, so they pair up.
      const [keys, values] = await transact(database, "readonly", (store) => {
        const keys = store.getAllKeys();
        const values = store.getAll();
        return (): [IDBValidKey[], unknown[]] => [keys.result, values.result];
      });
      return keys
        .map((key, index) => decode(values[index], String(key), source(key)))
        .filter((channel) => matchesFilter(channel, filter));
    },
    async put(channel) {
      const [storageKey, value] = validated(channel);
      await transact(database, "readwrite", (store) => {
        store.put(value, storageKey);
        return () => undefined;
      });
    },
    async delete(key) {
      await transact(database, "readwrite", (store) => {
        store.delete(channelStorageKey(key));
        return () => undefined;
      });
    },
  };
}

function webStorage(storage: Storage, prefix: string): ChannelStorage {
  const read = (itemKey: string): StoredChannel | undefined => {
    const text = storage.getItem(itemKey);
    if (text === null) return undefined;
    const source = `localStorage ${itemKey}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new InvalidStoredChannelError({ field: "(root)", reason: "is not valid JSON", source, cause });
    }
    return decode(json, itemKey.slice(prefix.length), source);
  };
  const itemKey = (key: ChannelKey) => `${prefix}${channelStorageKey(key)}`;
  return {
    async get(key) {
      return read(itemKey(key));
    },
    async list(filter) {
      // Keys first: Storage's index order is only stable while nothing is added or removed.
      const keys: string[] = [];
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index);
        if (key?.startsWith(prefix)) keys.push(key);
      }
      return keys
        .map(read)
        .filter((channel): channel is StoredChannel => channel !== undefined && matchesFilter(channel, filter));
    },
    async put(channel) {
      const [storageKey, value] = validated(channel);
      // Synchronous and persisted by the browser; a full quota throws, which rejects this put.
      storage.setItem(`${prefix}${storageKey}`, JSON.stringify(value));
    },
    async delete(key) {
      storage.removeItem(itemKey(key));
    },
  };
}

/** The key and stored form of a channel, refusing one that could not be read back. */
function validated(channel: StoredChannel): [string, SerializedChannel] {
  const normalized = parseStoredChannel(serializeChannel(channel));
  return [channelStorageKey(normalized), serializeChannel(normalized)];
}

function decode(value: unknown, storageKey: string, source: string): StoredChannel {
  const channel = parseStoredChannel(value, source);
  // A record copied under another key would be found by the wrong lookups and overwritten by the wrong puts.
  if (channelStorageKey(channel) !== storageKey) {
    throw new InvalidStoredChannelError({ field: "(key)", reason: "does not match the channel's fields", source });
  }
  return channel;
}

// Reading either global can throw (a sandboxed frame, storage blocked by the user): that counts as unavailable.
function globalIndexedDb(): IDBFactory | undefined {
  try {
    return globalThis.indexedDB ?? undefined;
  } catch {
    return undefined;
  }
}

function globalLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
