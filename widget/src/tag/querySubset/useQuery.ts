import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { QueryObserver, QueryOptions, QueryState } from "./QueryClient.ts";
import { useQueryClient } from "./QueryClientProvider.tsx";

export type UseQueryOptions<TData, TError = Error> = QueryOptions<TData> & {
  /** false: the query is not fetched on its own (a refetch still fetches it). */
  enabled?: boolean | undefined;
  /** How long data counts as fresh (ms; default 0): a reader mounting after that fetches again. */
  staleTime?: number | undefined;
  /** Fetch again every so many ms while the page is visible; a function decides after each change of the query. */
  refetchInterval?:
    | number
    | false
    | ((query: { state: Pick<QueryState<TData, TError>, "data" | "error"> }) => number | false | undefined)
    | undefined;
};

export type UseQueryResult<TData, TError = Error> = Pick<
  QueryState<TData, TError>,
  "data" | "error" | "status" | "fetchStatus"
> & {
  isPending: boolean;
  isSuccess: boolean;
  isError: boolean;
  isFetching: boolean;
  /** Fetches again now (a fetch under way with data already is started over). */
  refetch: () => Promise<unknown>;
};

/**
 * TanStack's `useQuery` as the widget uses it: the query of `queryKey` shared by every reader of the key, fetched
 * when a reader mounts or is enabled and the data is missing, invalidated or older than `staleTime`, and every
 * `refetchInterval` while the page is visible.
 */
export function useQuery<TData, TError = Error>(
  options: UseQueryOptions<TData, TError>,
): UseQueryResult<TData, TError> {
  const client = useQueryClient();
  const query = client.build<TData, TError>(options);
  const state = useSyncExternalStore(query.subscribe, () => query.state);
  const enabled = options.enabled !== false;
  const staleTime = options.staleTime ?? 0;
  const [observer] = useState<QueryObserver>(() => ({ enabled, staleTime }));
  useEffect(() => {
    observer.enabled = enabled;
    observer.staleTime = staleTime;
  });
  useEffect(() => query.observe(observer), [query, observer]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as TanStack, on mount, a new key or once enabled.
  useEffect(() => {
    if (enabled && query.isStale(staleTime)) void query.fetch();
  }, [query, enabled]);
  const { refetchInterval } = options;
  const interval = typeof refetchInterval === "function" ? refetchInterval(query) : refetchInterval;
  // As TanStack, every change of the query (a fetch starts, an answer comes back) starts the interval over: the next
  // poll comes an interval after the last answer, so a slow RPC is not asked again the moment it answers.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `state` starts the interval over (above).
  useEffect(() => {
    if (!enabled || !interval) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void query.fetch();
    }, interval);
    return () => clearInterval(timer);
  }, [query, enabled, interval, state]);
  return useMemo(
    () => ({
      data: state.data,
      error: state.error,
      status: state.status,
      fetchStatus: state.fetchStatus,
      isPending: state.status === "pending",
      isSuccess: state.status === "success",
      isError: state.status === "error",
      isFetching: state.fetchStatus === "fetching",
      refetch: () => query.fetch(true),
    }),
    [state, query],
  );
}
