import type { ChannelBalance, DomainParameters } from "../protocol/index.ts";
import type { StoredChannel } from "./ChannelStorage.ts";

/** The contract and chain a stored channel's signatures are bound to. */
export function channelDomain(channel: StoredChannel): DomainParameters {
  return { chainId: channel.chainId, contract: channel.contract };
}

/** What a balance proof or closing agreement for `channel` at `balance` signs. */
export function channelMessage(channel: StoredChannel, balance: bigint): ChannelBalance {
  return { sender: channel.sender, receiver: channel.receiver, openBlock: channel.openBlock, balance };
}
