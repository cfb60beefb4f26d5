import {
  type OpenChannelErrorType,
  type OpenChannelParameters,
  type OpenChannelReturnType,
  openChannel,
} from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { channelOpeningKey } from "./channelQueryKey.ts";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Opens a channel (the web-client's `openChannel`: one transaction where the token allows, a session key in
 * session mode) as a mutation. Its `error` is an `OpenChannelErrorType`: narrow on `error.name`.
 *
 * @example
 * import { useOpenChannel } from "@micro-raiden/widget";
 * const open = useOpenChannel();
 * open.mutate({ ...requirements, deposit: requirements.price * 100n });
 * if (open.error?.name === "UserRejectedRequestError") showDepositAgain();
 */
export function useOpenChannel(): UseMutationResult<
  OpenChannelReturnType,
  OpenChannelErrorType,
  OpenChannelParameters
> {
  return useChannelMutation<OpenChannelParameters, OpenChannelReturnType, OpenChannelErrorType>(openChannel, {
    mutationKey: channelOpeningKey,
  });
}
