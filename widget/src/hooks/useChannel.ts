import {
  type ChannelClient,
  getChannels,
  type PaymentRequirements,
  type StoredChannel,
  syncChannels,
  watchChannels,
} from "@micro-raiden/web-client";
import { type UseQueryResult, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useConnection } from "wagmi";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { channelQueryKey, channelQueryRoot } from "./channelQueryKey.ts";

export type UseChannelParameters = {
  requirements: PaymentRequirements;
  /** How often to re-read storage, in ms: payments from other tabs and the Service Worker land there (default 2000). */
  refetchInterval?: number | undefined;
};

/** The channel lists each client has read from the chain already (the getChannels filter, joined). */
const verifiedByClient = new WeakMap<ChannelClient, Set<string>>();

/**
 * The reader's current channel to the receiver of `requirements`: the newest one that is open (or closing, while
 * its challenge period runs), as stored, read from the chain once (found there by its ChannelCreated event when this
 * browser stored none) and then kept fresh from storage and the chain's events. `null` when there is none;
 * undefined while loading or not connected.
 *
 * @example
 * import { useChannel } from "@micro-raiden/widget";
 * const { data: channel } = useChannel({ requirements });
 */
export function useChannel(parameters: UseChannelParameters): UseQueryResult<StoredChannel | null> {
  const { requirements } = parameters;
  const { client } = useWidgetContext();
  const { address } = useConnection();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!client || !address) return;
    // Top-ups, closes and settlements from anywhere (another tab, the receiver's challenge) reach storage here.
    return watchChannels(client, {
      chainId: requirements.chainId,
      contract: requirements.contract,
      token: requirements.token,
      onChange: () => void queryClient.invalidateQueries({ queryKey: channelQueryRoot }),
    });
  }, [client, address, requirements.chainId, requirements.contract, requirements.token, queryClient]);

  return useQuery({
    queryKey: channelQueryKey(requirements, address),
    enabled: Boolean(client && address),
    refetchInterval: parameters.refetchInterval ?? 2000,
    queryFn: async () => {
      if (!client || !address) return null;
      const manager = { chainId: requirements.chainId, contract: requirements.contract, token: requirements.token };
      const filter = {
        chainId: requirements.chainId,
        contract: requirements.contract,
        receiver: requirements.receiver,
        sender: address,
      };
      // Storage knows only what this origin's pages saw: a close or settlement while none was open (the receiver's
      // challenge, another device) is read from the chain once per client; from then on watchChannels follows it.
      const verified = verifiedByClient.get(client) ?? new Set<string>();
      verifiedByClient.set(client, verified);
      const key = Object.values(filter).join(":").toLowerCase();
      const channels = verified.has(key)
        ? await getChannels(client, filter)
        : await getChannels(client, { ...filter, refresh: true }).then(
            async (fresh) => {
              // A browser that never saw a channel to this receiver (storage cleared, another profile or device) may
              // still have one on chain: look for it once before the paywall offers a second deposit. A node that
              // refuses a log query from the first block (some limit the range) leaves the stored view.
              const found = fresh.some((c) => c.state !== "closed")
                ? fresh
                : await syncChannels(client, { ...manager, fromBlock: 0n }).then(
                    () => getChannels(client, filter),
                    () => fresh,
                  );
              verified.add(key);
              return found;
            },
            // The chain could not be read: show what storage knows, and read the chain again on the next poll.
            () => getChannels(client, filter),
          );
      const candidates = channels
        .filter((c) => c.state !== "closed" && c.token.toLowerCase() === requirements.token.toLowerCase())
        .sort((a, b) => (a.openBlock < b.openBlock ? 1 : -1));
      return candidates.find((c) => c.state === "open") ?? candidates[0] ?? null;
    },
  });
}
