import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { IDBDatabase, IDBFactory } from "fake-indexeddb";
import { BaseError } from "../protocol/BaseError.ts";
import { channelStorageKey } from "./ChannelStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";
import { indexedDbStorage } from "./indexedDbStorage.ts";
import { serializeChannel } from "./serializeChannel.ts";
import { addresses, bareChannel, fullChannel, storageContract } from "./storageContract.test-helper.ts";

/** A Storage in a Map, standing in for localStorage (Node has none). */
function memoryWebStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear() {
      items.clear();
    },
    getItem(key) {
      return items.get(key) ?? null;
    },
    key(index) {
      return [...items.keys()][index] ?? null;
    },
    removeItem(key) {
      items.delete(key);
    },
    setItem(key, value) {
      items.set(key, String(value));
    },
  };
}

/** Firefox's private mode in the versions that refused IndexedDB outright: open() throws. */
class PrivateModeFactory extends IDBFactory {
  override open(): IDBOpenDBRequest {
    throw new DOMException(
      "A mutation operation was attempted on a database that did not allow mutations.",
      "InvalidStateError",
    );
  }
}

function request<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Reads or writes the channel store directly, as another tab or a user in the devtools could. */
async function raw<T>(factory: IDBFactory, name: string, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await request(factory.open(name));
  try {
    return await request(run(database.transaction("channels", "readwrite").objectStore("channels")));
  } finally {
    database.close();
  }
}

const filter = { chainId: bareChannel.chainId, contract: addresses.contract, sender: addresses.sender };
const key = channelStorageKey(bareChannel);
const isInvalid = (field: string) => (error: unknown) =>
  error instanceof InvalidStoredChannelError && error.field === field;

storageContract("indexedDbStorage", () => indexedDbStorage({ indexedDB: new IDBFactory() }));
storageContract("indexedDbStorage, localStorage fallback", () =>
  indexedDbStorage({ indexedDB: new PrivateModeFactory(), fallback: memoryWebStorage() }),
);

describe("indexedDbStorage on IndexedDB", () => {
  it("stores the serialized form under the channel's key, and nothing in the fallback", async () => {
    const factory = new IDBFactory();
    const fallback = memoryWebStorage();
    await indexedDbStorage({ indexedDB: factory, fallback }).put(fullChannel);
    assert.deepEqual(
      await raw(factory, "micro-raiden", (store) => store.get(channelStorageKey(fullChannel))),
      serializeChannel(fullChannel),
    );
    assert.equal(fallback.length, 0);
  });

  it("keeps channels across instances, and apart between database names", async () => {
    const factory = new IDBFactory();
    await indexedDbStorage({ indexedDB: factory }).put(bareChannel);
    assert.deepEqual(await indexedDbStorage({ indexedDB: factory }).get(bareChannel), bareChannel);
    assert.equal(await indexedDbStorage({ indexedDB: factory, name: "other" }).get(bareChannel), undefined);
  });

  it("commits puts and deletes with strict durability", async () => {
    const transaction = mock.method(IDBDatabase.prototype, "transaction");
    try {
      const storage = indexedDbStorage({ indexedDB: new IDBFactory() });
      await storage.put(bareChannel);
      await storage.delete(bareChannel);
      const writes = transaction.mock.calls.filter((call) => call.arguments[1] === "readwrite");
      assert.equal(writes.length, 2);
      for (const call of writes) assert.equal(call.result?.durability, "strict");
    } finally {
      transaction.mock.restore();
    }
  });

  it("rejects a tampered value, naming the field", async () => {
    const factory = new IDBFactory();
    const storage = indexedDbStorage({ indexedDB: factory });
    await storage.put(bareChannel);
    await raw(factory, "micro-raiden", (store) => store.put({ ...serializeChannel(bareChannel), balance: 5 }, key));
    await assert.rejects(storage.get(bareChannel), (error: unknown) => {
      assert.ok(isInvalid("balance")(error));
      assert.match(String(error), /IndexedDB micro-raiden\/channels\//);
      return true;
    });
    await assert.rejects(storage.list(filter), isInvalid("balance"));
  });

  it("rejects a value filed under another channel's key", async () => {
    const factory = new IDBFactory();
    const storage = indexedDbStorage({ indexedDB: factory });
    await storage.put(bareChannel);
    await raw(factory, "micro-raiden", (store) => store.put(serializeChannel({ ...bareChannel, openBlock: 99n }), key));
    await assert.rejects(storage.get(bareChannel), isInvalid("(key)"));
  });

  it("gives way when another tab deletes the database, and reopens on the next call", async () => {
    const factory = new IDBFactory();
    const storage = indexedDbStorage({ indexedDB: factory });
    await storage.put(bareChannel);
    await request(factory.deleteDatabase("micro-raiden"));
    assert.equal(await storage.get(bareChannel), undefined);
    await storage.put(fullChannel);
    assert.deepEqual(await storage.get(fullChannel), fullChannel);
  });

  it("refuses to fall back when a newer release has upgraded the database", async () => {
    const factory = new IDBFactory();
    (await request(factory.open("micro-raiden", 2))).close();
    const fallback = memoryWebStorage();
    await assert.rejects(indexedDbStorage({ indexedDB: factory, fallback }).put(bareChannel), { name: "VersionError" });
    assert.equal(fallback.length, 0);
  });
});

describe("indexedDbStorage on the localStorage fallback", () => {
  it("is used when there is no IndexedDB, under keys prefixed micro-raiden:channel:", async () => {
    // Node has no global indexedDB, so this is the browser without one.
    assert.equal(globalThis.indexedDB, undefined);
    const fallback = memoryWebStorage();
    fallback.setItem("unrelated", "not a channel");
    const storage = indexedDbStorage({ fallback });
    await storage.put(bareChannel);
    assert.equal(fallback.getItem(`micro-raiden:channel:${key}`), JSON.stringify(serializeChannel(bareChannel)));
    assert.deepEqual(await storage.list(filter), [bareChannel]);
    await storage.delete(bareChannel);
    assert.equal(fallback.length, 1);
  });

  it("keeps channels across instances, and apart between names", async () => {
    const fallback = memoryWebStorage();
    await indexedDbStorage({ fallback }).put(bareChannel);
    assert.deepEqual(await indexedDbStorage({ fallback }).get(bareChannel), bareChannel);
    assert.equal(await indexedDbStorage({ fallback, name: "other" }).get(bareChannel), undefined);
    await indexedDbStorage({ fallback, name: "other" }).put(fullChannel);
    assert.ok(fallback.getItem(`other:channel:${channelStorageKey(fullChannel)}`));
  });

  it("rejects a tampered value with InvalidStoredChannelError naming the field", async () => {
    const fallback = memoryWebStorage();
    const storage = indexedDbStorage({ indexedDB: new PrivateModeFactory(), fallback });
    await storage.put(bareChannel);
    const itemKey = `micro-raiden:channel:${key}`;
    fallback.setItem(itemKey, JSON.stringify({ ...serializeChannel(bareChannel), sender: addresses.receiver }));
    await assert.rejects(storage.get(bareChannel), isInvalid("(key)"));
    fallback.setItem(itemKey, JSON.stringify({ ...serializeChannel(bareChannel), balance: "-1" }));
    await assert.rejects(storage.get(bareChannel), (error: unknown) => {
      assert.ok(isInvalid("balance")(error));
      assert.match(String(error), new RegExp(`localStorage ${itemKey}`));
      return true;
    });
    await assert.rejects(storage.list(filter), isInvalid("balance"));
    fallback.setItem(itemKey, "{not json");
    await assert.rejects(storage.get(bareChannel), isInvalid("(root)"));
  });

  it("rejects clearly when neither IndexedDB nor localStorage can be used", async () => {
    assert.equal(globalThis.localStorage, undefined);
    await assert.rejects(
      indexedDbStorage({ indexedDB: new PrivateModeFactory() }).get(bareChannel),
      (error: unknown) => error instanceof BaseError && /No channel storage available/.test(error.message),
    );
  });
});
