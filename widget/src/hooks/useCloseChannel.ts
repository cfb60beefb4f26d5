import {
  type CloseChannelErrorType,
  type CloseChannelParameters,
  type CloseChannelUncooperativelyErrorType,
  closeChannel,
  closeChannelUncooperatively,
  type StoredChannel,
} from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/** A cooperative close (with the receiver's closing signature), or an uncooperative one when the site is gone. */
export type UseCloseChannelVariables = CloseChannelParameters | { channel: StoredChannel; uncooperative: true };
/** What either close may throw. */
export type UseCloseChannelErrorType = CloseChannelErrorType | CloseChannelUncooperativelyErrorType;

/**
 * Closes a channel as a mutation: cooperatively (`gatewayUrl`: pays out at once), or with `uncooperative: true`
 * without the receiver (starts the challenge period; settle with `useSettleChannel` after `settleBlock`). Its `error`
 * is a `UseCloseChannelErrorType`.
 *
 * @example
 * import { useCloseChannel } from "@micro-raiden/widget";
 * const close = useCloseChannel();
 * close.mutate({ channel, gatewayUrl: new URL(requirements.gatewayPath, url).href });
 * if (close.error?.name === "ReceiverApiError") close.mutate({ channel, uncooperative: true });
 */
export function useCloseChannel(): UseMutationResult<
  StoredChannel,
  UseCloseChannelErrorType,
  UseCloseChannelVariables
> {
  return useChannelMutation<UseCloseChannelVariables, StoredChannel, UseCloseChannelErrorType>((client, variables) =>
    "uncooperative" in variables
      ? closeChannelUncooperatively(client, { channel: variables.channel })
      : closeChannel(client, variables),
  );
}
