import { type OpenChannelParameters, type OpenChannelReturnType, openChannel } from "@micro-raiden/web-client";
import type { UseMutationResult } from "@tanstack/react-query";
import { channelOpeningKey } from "./channelQueryKey.ts";
import { useChannelMutation } from "./useChannelMutation.ts";

/**
 * Opens a channel (the web-client's `openChannel`: one transaction where the token allows, a session key in
 * session mode) as a mutation.
 *
 * @example
 * import { useOpenChannel } from "@micro-raiden/widget";
 * const open = useOpenChannel();
 * open.mutate({ ...requirements, deposit: requirements.price * 100n });
 */
export function useOpenChannel(): UseMutationResult<OpenChannelReturnType, Error, OpenChannelParameters> {
  return useChannelMutation(openChannel, { mutationKey: channelOpeningKey });
}
