import type { ChannelClient, NotConnectedErrorType } from "@micro-raiden/web-client";
import { NotConnectedError } from "@micro-raiden/web-client";
import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { channelQueryRoot } from "./channelQueryKey.ts";

/**
 * A web-client action as a TanStack mutation: needs the client, refreshes every channel view when done. `ActionError`
 * is the action's error union (`OpenChannelErrorType`), so the mutation's `error.name` narrows; without a client the
 * mutation fails with NotConnectedError.
 */
export function useChannelMutation<Variables, Result, ActionError extends Error = Error>(
  action: (client: ChannelClient, variables: Variables) => Promise<Result>,
  options: { mutationKey?: readonly unknown[] | undefined } = {},
): UseMutationResult<Result, ActionError | NotConnectedErrorType, Variables> {
  const { client, activity } = useWidgetContext();
  const queryClient = useQueryClient();
  return useMutation<Result, ActionError | NotConnectedErrorType, Variables>({
    ...(options.mutationKey ? { mutationKey: options.mutationKey } : {}),
    mutationFn: (variables: Variables) => {
      if (!client) throw new NotConnectedError();
      activity.reset();
      return action(client, variables);
    },
    onSettled: () => {
      // The transaction is mined (or failed): the panel shows the outcome now, not the hash.
      activity.reset();
      return queryClient.invalidateQueries({ queryKey: channelQueryRoot });
    },
  });
}
