import type { PaymentRequirements } from "@micro-raiden/web-client";
import type { Address } from "viem";

/** The root of every channel query: mutations invalidate it all, since one change can move several views. */
export const channelQueryRoot = ["micro-raiden", "channel"] as const;

/**
 * The key of every channel-opening mutation. Until an open settles, the new channel may already be in storage
 * (this page's chain watcher saw it first) without its session key, which only the running open holds: the Paywall
 * waits for it (`useIsMutating`) instead of paying, or navigating away, with a channel that lacks its key.
 */
export const channelOpeningKey = ["micro-raiden", "opening"] as const;

export function channelQueryKey(requirements: PaymentRequirements, sender: Address | undefined) {
  return [
    ...channelQueryRoot,
    requirements.chainId,
    requirements.contract.toLowerCase(),
    requirements.receiver.toLowerCase(),
    requirements.token.toLowerCase(),
    sender?.toLowerCase(),
  ] as const;
}
