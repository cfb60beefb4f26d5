import type { Connection, ConnectionStore } from "./Connection.ts";

/** A connection store starting at `initial`; `listen` starts following a wallet's events and returns how to stop. */
export function connectionStore(initial: Connection, listen: (store: ConnectionStore) => () => void): ConnectionStore {
  let state = initial;
  let stop: (() => void) | undefined;
  const listeners = new Set<(connection: Connection, previous: Connection) => void>();
  const store: ConnectionStore = {
    getState: () => state,
    setState(next) {
      if (next.status === state.status && next.address === state.address && next.chainId === state.chainId) return;
      const previous = state;
      state = next;
      for (const listener of [...listeners]) listener(next, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow() {
      stop ??= listen(store);
    },
    unfollow() {
      stop?.();
      stop = undefined;
    },
  };
  return store;
}
