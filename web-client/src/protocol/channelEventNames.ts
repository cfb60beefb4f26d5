/**
 * The channel manager's events about a channel's life (opened, topped up, withdrawn from, close requested,
 * settled). Each names the channel's sender and receiver as its first two indexed arguments, so one log filter
 * by topic finds a sender's (a reader's pages) or a receiver's (the receiver's watcher) channels.
 *
 * @example
 * import { channelEventNames, channelManagerAbi } from "@micro-raiden/web-client/protocol";
 * import { encodeEventTopics } from "viem";
 * const topic0 = channelEventNames.map((eventName) => encodeEventTopics({ abi: channelManagerAbi, eventName })[0]);
 */
export const channelEventNames = [
  "ChannelCreated",
  "ChannelToppedUp",
  "ChannelWithdrawn",
  "ChannelCloseRequested",
  "ChannelSettled",
] as const;
