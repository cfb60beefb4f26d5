import type { Address } from "viem";
import type { ChainEvent, StoredChannel } from "./records.ts";

type Identity = { sender: Address; openBlock: bigint };

/**
 * Puts together the channels a selection read (both stores read them in three queries): its events, by channel in
 * the order the channels were opened, make the channels; their proofs and closing marks are read only when there is a
 * channel to attach them to (a miss on an unknown channel costs one query).
 */
export function storedChannels(
  events: readonly ChainEvent[],
  proofs: () => Iterable<NonNullable<StoredChannel["proof"]>>,
  closing: () => Iterable<Identity>,
): StoredChannel[] {
  const channels = new Map<string, StoredChannel>();
  const key = (channel: Identity) => `${channel.sender}:${channel.openBlock}`;
  for (const event of events) {
    let channel = channels.get(key(event));
    if (!channel) {
      channel = { sender: event.sender, openBlock: event.openBlock, events: [], proof: undefined, closing: false };
      channels.set(key(event), channel);
    }
    channel.events.push(event);
  }
  if (channels.size === 0) return [];
  for (const proof of proofs()) {
    const channel = channels.get(key(proof));
    if (channel) channel.proof = proof;
  }
  for (const marked of closing()) {
    const channel = channels.get(key(marked));
    if (channel) channel.closing = true;
  }
  return [...channels.values()];
}
