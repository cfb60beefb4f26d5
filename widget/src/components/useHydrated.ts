import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * False on a server and while the page hydrates the server's HTML, true from then on (and from the first render of
 * a page rendered in the browser alone). What only the browser knows, such as the wallets it has, waits for it, so
 * hydration sees what the server rendered.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
