import { type ChannelStorage, channelStorageKey, matchesFilter, type StoredChannel } from "./ChannelStorage.ts";
import { parseStoredChannel, serializeChannel } from "./serializeChannel.ts";

/**
 * Channel storage in a Map, for tests and short-lived scripts: everything is lost when the process ends. Like the
 * persistent storages it refuses an invalid channel on put and hands out copies, so a caller mutating a channel it
 * got back (or is about to put again) cannot change what is stored behind the storage's back.
 *
 * @example
 * import { memoryStorage } from "@micro-raiden/web-client";
 * const storage = memoryStorage();
 * await storage.put(channel);
 * const again = await storage.get(channel);
 */
export function memoryStorage(): ChannelStorage {
  const channels = new Map<string, StoredChannel>();
  // Every field is a primitive, so a spread is a full copy.
  const copy = (channel: StoredChannel): StoredChannel => ({ ...channel });
  return {
    async get(key) {
      const channel = channels.get(channelStorageKey(key));
      return channel === undefined ? undefined : copy(channel);
    },
    async list(filter) {
      return [...channels.values()].filter((channel) => matchesFilter(channel, filter)).map(copy);
    },
    async put(channel) {
      // The round trip validates and normalizes exactly as the persistent storages do, and makes the copy.
      const stored = parseStoredChannel(serializeChannel(channel));
      channels.set(channelStorageKey(stored), stored);
    },
    async delete(key) {
      channels.delete(channelStorageKey(key));
    },
  };
}
