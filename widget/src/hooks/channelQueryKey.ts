import type { PaymentRequirements } from "@micro-raiden/web-client";
import type { Address } from "viem";

/** The root of every channel query: mutations invalidate it all, since one change can move several views. */
export const channelQueryRoot = ["micro-raiden", "channel"] as const;

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
