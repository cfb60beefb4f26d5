import { open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { type ChannelStorage, channelStorageKey, matchesFilter, type StoredChannel } from "./ChannelStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";
import { parseStoredChannel, type SerializedChannel, serializeChannel } from "./serializeChannel.ts";

/** The file's layout; `version` lets a later release migrate it instead of misreading it. */
type ChannelFile = { version: 1; channels: Record<string, SerializedChannel> };

/**
 * Channel storage for Node: one JSON file holding every channel. A put resolves only once the new file is on disk
 * (written to a temporary file beside it, fsynced, renamed over it, directory fsynced), so a crash leaves the old
 * file or the new one, never half of one. The file is created with mode 0600 because it holds session keys. Reads
 * and writes run one at a time in call order within the process; two processes must not share a file. A missing
 * file reads as empty; a corrupt one makes every call reject with {@link InvalidStoredChannelError} rather than
 * losing track of channels that still hold funds. The directory must exist.
 *
 * @example
 * import { fileStorage } from "@micro-raiden/web-client/node";
 * const storage = fileStorage("channels.json");
 * await storage.put(channel);
 * const open = (await storage.list({ chainId, contract, sender })).filter((c) => c.state === "open");
 */
export function fileStorage(path: string): ChannelStorage {
  // Each operation reads the file afresh and a put rewrites all of it: without this chain, two concurrent puts
  // would both read the old file and the second rename would drop the first one's channel.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    get: (key) => inTurn(async () => (await load(path)).get(channelStorageKey(key))),
    list: (filter) => inTurn(async () => [...(await load(path)).values()].filter((c) => matchesFilter(c, filter))),
    put: async (channel) => {
      // Validated before queuing: a channel that could not be read back must never reach the file.
      const stored = parseStoredChannel(serializeChannel(channel));
      return inTurn(async () => {
        const channels = await load(path);
        channels.set(channelStorageKey(stored), stored);
        await save(path, channels);
      });
    },
    delete: (key) =>
      inTurn(async () => {
        const channels = await load(path);
        if (channels.delete(channelStorageKey(key))) await save(path, channels);
      }),
  };
}

async function load(path: string): Promise<Map<string, StoredChannel>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return new Map();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new InvalidStoredChannelError({ field: "(root)", reason: "is not valid JSON", source: path, cause });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidStoredChannelError({ field: "(root)", reason: "must be a JSON object", source: path });
  }
  const version: unknown = Reflect.get(json, "version");
  if (version !== 1) {
    throw new InvalidStoredChannelError({ field: "version", reason: "must be 1", source: path });
  }
  const entries: unknown = Reflect.get(json, "channels");
  if (typeof entries !== "object" || entries === null || Array.isArray(entries)) {
    throw new InvalidStoredChannelError({ field: "channels", reason: "must be a JSON object", source: path });
  }
  const channels = new Map<string, StoredChannel>();
  for (const [key, value] of Object.entries(entries)) {
    const source = `${path} (channel ${key})`;
    const channel = parseStoredChannel(value, source);
    // A record moved under another key would be found by the wrong lookups and overwritten by the wrong puts.
    if (channelStorageKey(channel) !== key) {
      throw new InvalidStoredChannelError({ field: "(key)", reason: "does not match the channel's fields", source });
    }
    channels.set(key, channel);
  }
  return channels;
}

async function save(path: string, channels: Map<string, StoredChannel>): Promise<void> {
  // Sorted so that the file changes only where a channel changed.
  const sorted = [...channels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const contents: ChannelFile = {
    version: 1,
    channels: Object.fromEntries(sorted.map(([key, channel]) => [key, serializeChannel(channel)])),
  };
  // Same directory, so the rename cannot cross file systems and is atomic. "wx" refuses to follow a planted
  // symlink; the random part keeps retries and other instances from colliding.
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(contents, null, 2)}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename itself durable: until the directory entry is flushed, a crash can bring the old file back. */
async function syncDirectory(directory: string): Promise<void> {
  // Windows has no directory fsync (flushing a directory handle fails there).
  if (process.platform === "win32") return;
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
