import {
  type GetSettlementReturnType,
  getChannels,
  getSettlement,
  type PaymentRequirements,
  type StoredChannel,
} from "@micro-raiden/web-client";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { useConnection } from "wagmi";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { channelQueryKey } from "./channelQueryKey.ts";

export type PreviousSettlement = { channel: StoredChannel; settlement: NonNullable<GetSettlementReturnType> };

/**
 * How the reader's last channel to the receiver of `requirements` ended, when it is closed: what went to the site and
 * what came back (its ChannelSettled event). For a paywall that offers a new deposit after a close the reader did
 * not watch (the receiver's challenge, another device). `null` when the newest stored channel is not closed, or
 * its settlement cannot be found.
 *
 * @example
 * import { usePreviousSettlement } from "@micro-raiden/widget";
 * const { data: previous } = usePreviousSettlement({ requirements, enabled: !channel });
 */
export function usePreviousSettlement(parameters: {
  requirements: PaymentRequirements;
  enabled?: boolean | undefined;
}): UseQueryResult<PreviousSettlement | null> {
  const { requirements } = parameters;
  const { client } = useWidgetContext();
  const { address } = useConnection();
  return useQuery({
    // Under the channel queries' root: every channel mutation invalidates it too.
    queryKey: [...channelQueryKey(requirements, address), "settlement"],
    enabled: Boolean(client && address) && parameters.enabled !== false,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      if (!client || !address) return null;
      const channels = await getChannels(client, {
        chainId: requirements.chainId,
        contract: requirements.contract,
        receiver: requirements.receiver,
        sender: address,
      });
      // Only channels that held a deposit: a browser may keep records that never were the reader's channels (a
      // session key kept while a channel opens; another reader's channel an older web-client stored as closed).
      const [newest] = channels
        .filter((channel) => channel.deposit > 0n)
        .sort((a, b) => (a.openBlock < b.openBlock ? 1 : -1));
      if (newest?.state !== "closed") return null;
      const settlement = await getSettlement(client, { channel: newest });
      return settlement ? { channel: newest, settlement } : null;
    },
  });
}
