// The script tag's stand-in for TanStack Query's QueryClient: a cache of queries by key, each fetched once at a time
// with TanStack's retries, kept five minutes after its last user, invalidated by key prefix (and then fetched again
// where shown), refetched when the page becomes visible or the browser comes online, and a count of running
// mutations by key. vite.config.ts aliases `@tanstack/react-query` to ./index.ts in the tag's build only.
import { hashKey, partialMatchKey, type QueryKey, replaceEqualDeep } from "./queryKeys.ts";

export type QueryStatus = "pending" | "error" | "success";

export type QueryState<TData = unknown, TError = Error> = {
  data: TData | undefined;
  error: TError | null;
  status: QueryStatus;
  fetchStatus: "fetching" | "idle";
  /** When data last came in (ms); with `staleTime`, whether a new reader of the query fetches it again. */
  dataUpdatedAt: number;
  isInvalidated: boolean;
};

export type QueryOptions<TData = unknown> = {
  queryKey: QueryKey;
  queryFn?: (() => TData | Promise<TData>) | undefined;
  /** Retries after a failure: TanStack's default is 3, one second, then two, then four apart. */
  retry?: boolean | number | undefined;
};

/** What each mounted `useQuery` tells its query: whether it wants the query fresh, and how fresh. */
export type QueryObserver = { enabled: boolean; staleTime: number };

let notifications: (() => void)[] = [];

/**
 * As TanStack's notifyManager: listeners hear of changes in a task of their own, after the promise callbacks of the
 * change's task. A mutation whose onSettled awaited an invalidation has settled by then, so the component draws the
 * new data and the mutation's end in one render (never the data with the button still pending).
 */
function notify(listeners: Iterable<() => void>): void {
  if (notifications.length === 0)
    setTimeout(() => {
      const due = notifications;
      notifications = [];
      for (const listener of due) listener();
    });
  notifications.push(...listeners);
}

/** How long a query no component reads is kept (TanStack's default `gcTime`). */
const gcTime = 5 * 60_000;

export class Query<TData = unknown, TError = Error> {
  state: QueryState<TData, TError> = {
    data: undefined,
    error: null,
    status: "pending",
    fetchStatus: "idle",
    dataUpdatedAt: 0,
    isInvalidated: false,
  };
  readonly observers = new Set<QueryObserver>();
  #listeners = new Set<() => void>();
  #fetching: Promise<TData | undefined> | undefined;
  /** Which fetch is the current one: a fetch that a newer one replaced drops its result. */
  #fetchId = 0;
  /** As TanStack's `cancelRetry`: the last reader left, so a failing fetch stops at the failure it is on. */
  #retryCancelled = false;
  #gc: ReturnType<typeof setTimeout> | undefined;

  options: QueryOptions<TData>;
  readonly hash: string;
  readonly #remove: () => void;

  constructor(options: QueryOptions<TData>, hash: string, remove: () => void) {
    this.options = options;
    this.hash = hash;
    this.#remove = remove;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #set(next: Partial<QueryState<TData, TError>>): void {
    this.state = { ...this.state, ...next };
    notify(this.#listeners);
  }

  /** Registers a mounted reader; the returned function removes it, and the last one leaves the query to be collected. */
  observe(observer: QueryObserver): () => void {
    clearTimeout(this.#gc);
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
      if (this.observers.size > 0) return;
      this.#retryCancelled = true;
      this.#gc = setTimeout(this.#remove, gcTime);
    };
  }

  isStale(staleTime: number): boolean {
    const { data, isInvalidated, dataUpdatedAt } = this.state;
    return isInvalidated || data === undefined || dataUpdatedAt + staleTime <= Date.now();
  }

  /** Whether a mounted reader wants it (TanStack's "active" queries are the ones invalidation fetches again). */
  get active(): boolean {
    return [...this.observers].some((observer) => observer.enabled);
  }

  invalidate(): void {
    if (!this.state.isInvalidated) this.#set({ isInvalidated: true });
  }

  /**
   * Fetches the query, or joins the fetch under way. `cancelRefetch` (a refetch the reader asked for, an
   * invalidation after a change) starts over instead when there is data already, so what comes back was read after
   * the change; the older fetch's result is dropped.
   */
  fetch(cancelRefetch = false): Promise<TData | undefined> {
    // Whoever fetches wants the answer: retries go on (a reader that came back joins a fetch whose retries stopped).
    this.#retryCancelled = false;
    if (this.#fetching && !(cancelRefetch && this.state.data !== undefined)) return this.#fetching;
    const id = ++this.#fetchId;
    const { queryFn, retry = 3 } = this.options;
    const retries = retry === true ? Number.POSITIVE_INFINITY : retry === false ? 0 : retry;
    // No more calls to the RPC for a fetch a newer one replaced, nor for one no reader waits for any more.
    const stopped = () => id !== this.#fetchId || this.#retryCancelled;
    const attempt = async (failures: number): Promise<TData> => {
      try {
        if (!queryFn) throw new Error(`Missing queryFn: '${this.hash}'`);
        return await queryFn();
      } catch (error) {
        if (failures >= retries || stopped()) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** failures, 30_000)));
        if (stopped()) throw error;
        return attempt(failures + 1);
      }
    };
    // As TanStack: a query without data that failed is pending again while it is fetched anew.
    this.#set(
      this.state.data === undefined
        ? { fetchStatus: "fetching", status: "pending", error: null }
        : { fetchStatus: "fetching" },
    );
    const fetching = attempt(0).then(
      (data) => {
        if (id !== this.#fetchId) return this.#fetching;
        this.#fetching = undefined;
        this.#set({
          data: replaceEqualDeep(this.state.data, data),
          error: null,
          status: "success",
          fetchStatus: "idle",
          dataUpdatedAt: Date.now(),
          isInvalidated: false,
        });
        return this.state.data;
      },
      (error: TError) => {
        if (id !== this.#fetchId) return this.#fetching;
        this.#fetching = undefined;
        // As TanStack: the data read before stays, beside the error, and an invalidated query stays stale.
        this.#set({ error, status: "error", fetchStatus: "idle" });
        return undefined;
      },
    );
    this.#fetching = fetching;
    return fetching;
  }
}

/** A running mutation, counted by `useIsMutating` under its key. */
type RunningMutation = { mutationKey: QueryKey | undefined };

export class QueryClient {
  #queries = new Map<string, Query<unknown, unknown>>();
  #mutations = new Set<RunningMutation>();
  #mutationListeners = new Set<() => void>();
  #mounts = 0;
  #unmount: (() => void) | undefined;

  /** The query of `options.queryKey`, made on first use; it runs with the options of the reader rendered last. */
  build<TData, TError>(options: QueryOptions<TData>): Query<TData, TError> {
    const hash = hashKey(options.queryKey);
    let query = this.#queries.get(hash) as Query<TData, TError> | undefined;
    if (!query) {
      query = new Query<TData, TError>(options, hash, () => {
        if (query?.observers.size === 0) this.#queries.delete(hash);
      });
      this.#queries.set(hash, query as Query<unknown, unknown>);
    }
    query.options = options;
    return query;
  }

  #find(queryKey: QueryKey | undefined): Query<unknown, unknown>[] {
    return [...this.#queries.values()].filter(
      (query) => queryKey === undefined || partialMatchKey(query.options.queryKey, queryKey),
    );
  }

  /** Marks the queries under `queryKey` stale and fetches again those a mounted component reads; resolves after. */
  async invalidateQueries(filters: { queryKey?: QueryKey | undefined } = {}): Promise<void> {
    const queries = this.#find(filters.queryKey);
    for (const query of queries) query.invalidate();
    await Promise.all(queries.filter((query) => query.active).map((query) => query.fetch(true)));
  }

  /** How many mutations under `mutationKey` are running. */
  isMutating(filters: { mutationKey?: QueryKey | undefined } = {}): number {
    return [...this.#mutations].filter(
      (mutation) =>
        filters.mutationKey === undefined ||
        (mutation.mutationKey !== undefined && partialMatchKey(mutation.mutationKey, filters.mutationKey)),
    ).length;
  }

  subscribeMutations = (listener: () => void): (() => void) => {
    this.#mutationListeners.add(listener);
    return () => this.#mutationListeners.delete(listener);
  };

  /** Counts a mutation as running until the returned function is called. */
  startMutation(mutationKey: QueryKey | undefined): () => void {
    const mutation = { mutationKey };
    const changed = () => notify(this.#mutationListeners);
    this.#mutations.add(mutation);
    changed();
    return () => {
      this.#mutations.delete(mutation);
      changed();
    };
  }

  /**
   * While mounted (QueryClientProvider): as TanStack's focus and online managers, a page that becomes visible again
   * or a browser back online fetches the stale queries that components read (`refetchOnWindowFocus`,
   * `refetchOnReconnect`).
   */
  mount(): void {
    if (this.#mounts++ > 0 || typeof window === "undefined") return;
    const refetch = () => {
      if (document.visibilityState === "hidden") return;
      for (const query of this.#queries.values()) {
        if ([...query.observers].some((observer) => observer.enabled && query.isStale(observer.staleTime)))
          void query.fetch();
      }
    };
    window.addEventListener("visibilitychange", refetch);
    window.addEventListener("online", refetch);
    this.#unmount = () => {
      window.removeEventListener("visibilitychange", refetch);
      window.removeEventListener("online", refetch);
    };
  }

  unmount(): void {
    if (--this.#mounts === 0) this.#unmount?.();
  }
}
