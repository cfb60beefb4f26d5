import { type ChannelKey, channelStorageKey } from "../storage/ChannelStorage.ts";

/**
 * The lock every change to a sender's channels with one receiver is made under (payments, top-ups, merges of
 * chain state): their balances, deposits and the receiver's budget are read and written together.
 *
 * @example
 * import { receiverLockName } from "@micro-raiden/web-client";
 * await client.lock(receiverLockName(channel), async () => { … });
 */
export function receiverLockName(key: Omit<ChannelKey, "openBlock">): string {
  return channelStorageKey({ ...key, openBlock: 0n });
}
