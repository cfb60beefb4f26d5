import { type ChannelClient, ReceiverApiError, refreshChannel, type StoredChannel } from "@micro-raiden/web-client";
import { channelPath, decodeChannelDescription, type ReceiverChannelState } from "@micro-raiden/web-client/protocol";
import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import { getBlockNumber } from "viem/actions";
import { channelQueryRoot } from "./channelQueryKey.ts";

export type ReceiverChannelView = {
  /** What the receiver says of the channel; "unknown" until its chain watcher has seen it. */
  state: ReceiverChannelState | "unknown";
  /** Blocks that include or follow the channel's opening block: its confirmations. */
  confirmations: number;
};

/**
 * Whether the receiver takes payments on the channel yet (its public REST description: `pending` until it has
 * seen enough confirmations, then `open`), with the confirmations so far. Polls until the channel is open. When the
 * receiver says the channel is closing or settled, the stored channel is read again from the chain, so every channel
 * view moves on from it instead of waiting for the receiver forever.
 */
export function useReceiverChannelState(
  client: ChannelClient | undefined,
  channel: StoredChannel | null | undefined,
  gatewayUrl: string,
): UseQueryResult<ReceiverChannelView> {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["micro-raiden", "receiver-channel", gatewayUrl, channel?.sender, channel?.openBlock?.toString()],
    enabled: Boolean(client && channel),
    refetchInterval: (query) => (query.state.data?.state === "open" ? false : 1000),
    queryFn: async (): Promise<ReceiverChannelView> => {
      if (!client || !channel) throw new Error("No channel to look up.");
      const url = `${gatewayUrl}${channelPath(channel)}`;
      const [response, head] = await Promise.all([
        client.fetch(url, { headers: { accept: "application/json" } }),
        getBlockNumber(client.publicClient, { cacheTime: 0 }),
      ]);
      const confirmations = head >= channel.openBlock ? Number(head - channel.openBlock + 1n) : 0;
      if (response.status === 404) return { state: "unknown", confirmations };
      if (!response.ok) throw new ReceiverApiError({ status: response.status, url });
      const { state } = decodeChannelDescription(await response.json());
      if ((state === "closing" || state === "settled") && channel.state === "open") {
        // The receiver's word is a hint; the chain is the truth the stored channel takes.
        const fresh = await refreshChannel(client, channel);
        if (fresh.state !== "open") await queryClient.invalidateQueries({ queryKey: channelQueryRoot });
      }
      return { state, confirmations };
    },
  });
}
