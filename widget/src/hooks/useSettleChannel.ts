import { type SettleChannelParameters, type SettleChannelReturnType, settleChannel } from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Pays a channel out after an uncooperative close, once its challenge period is over (the web-client's
 * `settleChannel`) as a mutation.
 *
 * @example
 * import { useSettleChannel } from "@micro-raiden/widget";
 * const settle = useSettleChannel();
 * settle.mutate({ channel });
 */
export function useSettleChannel(): UseMutationResult<SettleChannelReturnType, Error, SettleChannelParameters> {
  return useChannelMutation(settleChannel);
}
