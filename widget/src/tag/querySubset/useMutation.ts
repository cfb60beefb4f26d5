import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "./QueryClientProvider.tsx";
import type { QueryKey } from "./queryKeys.ts";

export type MutateOptions<TData, TError, TVariables> = {
  onSuccess?: ((data: TData, variables: TVariables) => unknown) | undefined;
  onError?: ((error: TError, variables: TVariables) => unknown) | undefined;
  onSettled?: ((data: TData | undefined, error: TError | null, variables: TVariables) => unknown) | undefined;
};

export type UseMutationOptions<TData, TError, TVariables> = MutateOptions<TData, TError, TVariables> & {
  mutationKey?: QueryKey | undefined;
  mutationFn: (variables: TVariables) => Promise<TData>;
};

type MutationState<TData, TError, TVariables> = {
  status: "idle" | "pending" | "success" | "error";
  data: TData | undefined;
  error: TError | null;
  variables: TVariables | undefined;
};

export type UseMutationResult<TData, TError = Error, TVariables = void> = MutationState<TData, TError, TVariables> & {
  isIdle: boolean;
  isPending: boolean;
  isSuccess: boolean;
  isError: boolean;
  /** Runs the mutation; its error is shown in `error`, never thrown. */
  mutate: (variables: TVariables, options?: MutateOptions<TData, TError, TVariables>) => void;
  mutateAsync: (variables: TVariables, options?: MutateOptions<TData, TError, TVariables>) => Promise<TData>;
  reset: () => void;
};

const idle = { status: "idle", data: undefined, error: null, variables: undefined } as const;

/**
 * TanStack's `useMutation` as the widget uses it: pending until `mutationFn` and then the options' `onSuccess` /
 * `onError` and `onSettled` are done (the widget's invalidation, so the views have the new channel when the button
 * comes back), counted by `useIsMutating` meanwhile; the result shows the last `mutate` call's outcome, and its
 * `mutate` callbacks run only while the component is mounted.
 */
export function useMutation<TData = unknown, TError = Error, TVariables = void>(
  options: UseMutationOptions<TData, TError, TVariables>,
): UseMutationResult<TData, TError, TVariables> {
  const client = useQueryClient();
  const [state, setState] = useState<MutationState<TData, TError, TVariables>>(idle);
  const latest = useRef(options);
  latest.current = options;
  const current = useRef<object>(undefined);
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const mutateAsync = useCallback(
    async (variables: TVariables, callbacks?: MutateOptions<TData, TError, TVariables>): Promise<TData> => {
      const run = {};
      current.current = run;
      const { mutationKey, mutationFn, onSuccess, onError, onSettled } = latest.current;
      const done = client.startMutation(mutationKey);
      /** Shows the run's state when it is still the one the component shows; says whether it did. */
      const show = (next: MutationState<TData, TError, TVariables>) => {
        const shown = current.current === run && mounted.current;
        if (shown) setState(next);
        return shown;
      };
      show({ status: "pending", data: undefined, error: null, variables });
      try {
        // A microtask first, as TanStack: a mutationFn that throws at once fails the mutation, not the caller.
        const data = await Promise.resolve().then(() => mutationFn(variables));
        await onSuccess?.(data, variables);
        await onSettled?.(data, null, variables);
        done();
        if (show({ status: "success", data, error: null, variables })) {
          callbacks?.onSuccess?.(data, variables);
          callbacks?.onSettled?.(data, null, variables);
        }
        return data;
      } catch (caught) {
        const error = caught as TError;
        try {
          await onError?.(error, variables);
          await onSettled?.(undefined, error, variables);
        } finally {
          done();
          if (show({ status: "error", data: undefined, error, variables })) {
            callbacks?.onError?.(error, variables);
            callbacks?.onSettled?.(undefined, error, variables);
          }
        }
        throw error;
      }
    },
    [client],
  );
  const mutate = useCallback(
    (variables: TVariables, callbacks?: MutateOptions<TData, TError, TVariables>) => {
      mutateAsync(variables, callbacks).catch(() => {});
    },
    [mutateAsync],
  );
  const reset = useCallback(() => {
    current.current = undefined;
    setState(idle);
  }, []);
  return {
    ...state,
    isIdle: state.status === "idle",
    isPending: state.status === "pending",
    isSuccess: state.status === "success",
    isError: state.status === "error",
    mutate,
    mutateAsync,
    reset,
  };
}
