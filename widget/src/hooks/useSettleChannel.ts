import {
  type SettleChannelErrorType,
  type SettleChannelParameters,
  type SettleChannelReturnType,
  settleChannel,
} from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Pays a channel out after an uncooperative close, once its challenge period is over (the web-client's
 * `settleChannel`) as a mutation. Its `error` is a `SettleChannelErrorType`.
 *
 * @example
 * import { useSettleChannel } from "@micro-raiden/widget";
 * const settle = useSettleChannel();
 * settle.mutate({ channel });
 * if (settle.error?.name === "ChannelManagerRevertError") console.log(settle.error.errorName); // ChallengePeriodNotOver
 */
export function useSettleChannel(): UseMutationResult<
  SettleChannelReturnType,
  SettleChannelErrorType,
  SettleChannelParameters
> {
  return useChannelMutation<SettleChannelParameters, SettleChannelReturnType, SettleChannelErrorType>(settleChannel);
}
