import type { ChannelClient } from "../client/createChannelClient.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { refreshChannel, type SyncChannelsParameters } from "./syncChannels.ts";

/**
 * Calls `onChange` with the updated channel whenever the chain reports something about one of the account's
 * channels on this manager (opened, topped up, withdrawn from, close requested, settled). Returns `unwatch`.
 *
 * @example
 * import { watchChannels } from "@micro-raiden/web-client";
 * const unwatch = watchChannels(client, { chainId, contract, token, fromBlock }, (channel) => render(channel));
 */
export function watchChannels(
  client: ChannelClient,
  parameters: SyncChannelsParameters & { pollingInterval?: number | undefined },
  onChange: (channel: StoredChannel) => void,
  onError?: (error: Error) => void,
): () => void {
  return client.publicClient.watchContractEvent({
    ...(parameters.pollingInterval ? { pollingInterval: parameters.pollingInterval } : {}),
    address: parameters.contract,
    abi: channelManagerAbi,
    args: { sender: client.account },
    strict: true,
    onLogs: async (logs) => {
      for (const { args } of logs) {
        if (!("receiver" in args) || !("openBlock" in args)) continue;
        try {
          onChange(await refreshChannel(client, parameters, args.receiver, args.openBlock));
        } catch (error) {
          onError?.(error instanceof Error ? error : new Error(String(error)));
        }
      }
    },
    ...(onError ? { onError } : {}),
  });
}
