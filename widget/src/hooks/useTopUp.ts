import { type TopUpParameters, type TopUpReturnType, topUp } from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Adds to a channel's deposit (the web-client's `topUp`) as a mutation.
 *
 * @example
 * import { useTopUp } from "@micro-raiden/widget";
 * const topUp = useTopUp();
 * topUp.mutate({ channel, amount: price * 100n });
 */
export function useTopUp(): UseMutationResult<TopUpReturnType, Error, TopUpParameters> {
  return useChannelMutation(topUp);
}
