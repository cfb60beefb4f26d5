import {
  type CloseChannelParameters,
  closeChannel,
  closeChannelUncooperatively,
  type StoredChannel,
} from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { useChannelMutation } from "./useChannelMutation.ts";

/** A cooperative close (with the receiver's closing signature), or an uncooperative one when the site is gone. */
export type UseCloseChannelVariables = CloseChannelParameters | { channel: StoredChannel; uncooperative: true };

/**
 * Closes a channel as a mutation: cooperatively (`gatewayUrl`: pays out at once), or with `uncooperative: true`
 * without the receiver (starts the challenge period; settle with `useSettleChannel` after `settleBlock`).
 *
 * @example
 * import { useCloseChannel } from "@micro-raiden/widget";
 * const close = useCloseChannel();
 * close.mutate({ channel, gatewayUrl: new URL(requirements.gatewayPath, url).href });
 */
export function useCloseChannel(): UseMutationResult<StoredChannel, Error, UseCloseChannelVariables> {
  return useChannelMutation((client, variables: UseCloseChannelVariables) =>
    "uncooperative" in variables
      ? closeChannelUncooperatively(client, { channel: variables.channel })
      : closeChannel(client, variables),
  );
}
