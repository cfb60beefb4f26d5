import type { GetContractEventsErrorType } from "viem";
import { getContractEvents } from "viem/actions";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import type { ManagerParameters } from "./openChannel.ts";
import { type RefreshChannelErrorType, refreshChannel } from "./refreshChannel.ts";

export type SyncChannelsParameters = ManagerParameters & {
  /** Where to start reading events: the deployment file's `deploymentBlock`. */
  fromBlock: bigint;
};
export type SyncChannelsReturnType = StoredChannel[];
export type SyncChannelsErrorType =
  | NotConnectedErrorType
  | GetContractEventsErrorType
  | RefreshChannelErrorType
  | ErrorType;

/**
 * Rebuilds the current account's channels from the chain: every channel it opened on this manager, with its
 * current deposit and state. Balances already known locally are kept; a channel found only on chain starts at 0
 * and learns its balance from the receiver's echo on the next payment (adopted only if the echoed proof is ours).
 * A session key comes back only when this storage kept it for a channel being opened (its page died before the
 * receipt: `openChannel` keeps the key first); otherwise such channels are paid with the wallet from then on.
 *
 * @example
 * import { syncChannels } from "@micro-raiden/web-client";
 * const channels = await syncChannels(client, { chainId, contract, token, fromBlock: 2n });
 */
export async function syncChannels(
  client: ChannelClient,
  parameters: SyncChannelsParameters,
): Promise<SyncChannelsReturnType> {
  const sender = connectedAddress(client);
  const created = await getContractEvents(client.publicClient, {
    address: parameters.contract,
    abi: channelManagerAbi,
    eventName: "ChannelCreated",
    args: { sender },
    fromBlock: parameters.fromBlock,
    strict: true,
  });
  const result: StoredChannel[] = [];
  for (const { args } of created) {
    result.push(
      await refreshChannel(client, { ...parameters, sender, receiver: args.receiver, openBlock: args.openBlock }),
    );
  }
  return result;
}
