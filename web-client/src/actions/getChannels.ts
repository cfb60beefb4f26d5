import type { Address } from "viem";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type RefreshChannelErrorType, refreshChannel } from "./refreshChannel.ts";

export type GetChannelsParameters = {
  chainId: number;
  contract: Address;
  /** Only the channels to this receiver (several are allowed). */
  receiver?: Address | undefined;
  /** Whose channels; defaults to the wallet's current account. */
  sender?: Address | undefined;
  /**
   * Re-read from the chain every listed channel not already known to be closed (one contract read each), and store
   * what it says: a close or a settlement that happened while no page watched the chain (another device, the
   * receiver's challenge) otherwise stays unknown, and a settled channel would still look open. Default false: the
   * stored view only.
   */
  refresh?: boolean | undefined;
};
export type GetChannelsReturnType = StoredChannel[];
/** RefreshChannelErrorType with `refresh` only. */
export type GetChannelsErrorType = NotConnectedErrorType | RefreshChannelErrorType | ErrorType;

/**
 * The stored channels of the wallet's current account (or `sender`) on one manager, optionally to one receiver;
 * with `refresh`, brought up to date from the chain first.
 *
 * @example
 * import { getChannels } from "@micro-raiden/web-client";
 * const channels = await getChannels(client, { chainId: 31337, contract: manager, receiver, refresh: true });
 */
export async function getChannels(
  client: ChannelClient,
  parameters: GetChannelsParameters,
): Promise<GetChannelsReturnType> {
  const stored = await client.storage.list({
    chainId: parameters.chainId,
    contract: parameters.contract,
    sender: parameters.sender ?? connectedAddress(client),
    ...(parameters.receiver ? { receiver: parameters.receiver } : {}),
  });
  if (!parameters.refresh) return stored;
  // A closed channel is gone from the chain for good: reading it again could tell nothing new.
  return Promise.all(stored.map((channel) => (channel.state === "closed" ? channel : refreshChannel(client, channel))));
}
