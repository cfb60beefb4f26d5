import { type TopUpErrorType, type TopUpParameters, type TopUpReturnType, topUp } from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Adds to a channel's deposit (the web-client's `topUp`) as a mutation. Its `error` is a `TopUpErrorType`.
 *
 * @example
 * import { useTopUp } from "@micro-raiden/widget";
 * const topUp = useTopUp();
 * topUp.mutate({ channel, amount: price * 100n });
 * if (topUp.error?.name === "AccountMismatchError") askToSwitchBack(topUp.error.sender);
 */
export function useTopUp(): UseMutationResult<TopUpReturnType, TopUpErrorType, TopUpParameters> {
  return useChannelMutation<TopUpParameters, TopUpReturnType, TopUpErrorType>(topUp);
}
