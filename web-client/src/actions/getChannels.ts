import type { Address } from "viem";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";

export type GetChannelsParameters = {
  chainId: number;
  contract: Address;
  /** Only the channels to this receiver (several are allowed). */
  receiver?: Address | undefined;
  /** Whose channels; defaults to the wallet's current account. */
  sender?: Address | undefined;
};
export type GetChannelsReturnType = StoredChannel[];
export type GetChannelsErrorType = NotConnectedErrorType;

/**
 * The stored channels of the wallet's current account (or `sender`) on one manager, optionally to one receiver.
 *
 * @example
 * import { getChannels } from "@micro-raiden/web-client";
 * const channels = await getChannels(client, { chainId: 31337, contract: manager, receiver });
 */
export function getChannels(client: ChannelClient, parameters: GetChannelsParameters): Promise<GetChannelsReturnType> {
  return client.storage.list({
    chainId: parameters.chainId,
    contract: parameters.contract,
    sender: parameters.sender ?? connectedAddress(client),
    ...(parameters.receiver ? { receiver: parameters.receiver } : {}),
  });
}
