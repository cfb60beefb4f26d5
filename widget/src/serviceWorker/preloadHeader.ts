import {
  decodePreloadPaymentHeader,
  encodePreloadPaymentHeader,
  type navigationPreload,
  type PreloadPayment,
} from "@micro-raiden/web-client/protocol";

/** What the worker puts in its navigation preload header: a payment, or a mark without one. */
export type PreloadHeaderValue =
  | PreloadPayment
  | typeof navigationPreload.paysFirst
  | typeof navigationPreload.browserDefault;

export type PreloadHeader = ReturnType<typeof preloadHeader>;

/**
 * The worker's navigation preload header (`Service-Worker-Navigation-Preload`). The browser keeps its value in the
 * registration, so it outlives the worker, and sends it with every navigation's preload, before the worker has even
 * started: the browser's default "true"; `rdn-pays-first` while the worker holds a grant (it pays announced routes
 * first); or that and the payment for the reader's next page (`encodePreloadPaymentHeader`), which makes the preload
 * the paid request itself.
 */
export function preloadHeader(manager: NavigationPreloadManager | undefined) {
  // Read once when the worker starts (beside its first navigation), then as the worker sets it.
  let carried: Promise<PreloadPayment | undefined> = manager
    ? manager.getState().then(
        ({ headerValue }) => decodeQuietly(headerValue),
        () => undefined,
      )
    : Promise.resolve(undefined);
  // Writes in the order they were asked for: the last one asked is the value that stays.
  let writing: Promise<void> = Promise.resolve();
  // How many times the worker announced its grants (a revoke, a new grant, a new release): a payment prepared under
  // a grant the reader revoked or replaced since must not take the header back from that announcement.
  let announcements = 0;
  return {
    /**
     * The payment the browser's preloads carry, as far as the worker knows: a navigation that started just before a
     * change carries the value before it (the answer then says which payment it took).
     */
    carried: () => carried,
    /** The announcements made so far: a payment that starts now passes them to `set` as `since`. */
    announcements: () => announcements,
    /**
     * Sets the header: as an announcement of the worker's grants (no `since`), or as the next payment of a payment
     * that started at `since` announcements, unless the grants were announced again since then.
     */
    set(value: PreloadHeaderValue, since?: number): Promise<void> {
      if (since === undefined) announcements++;
      else if (since !== announcements) return writing;
      carried = Promise.resolve(typeof value === "string" ? undefined : value);
      const text = typeof value === "string" ? value : encodePreloadPaymentHeader(value);
      writing = writing.then(() => manager?.setHeaderValue(text)).catch(() => {});
      return writing;
    },
  };
}

/** The payment in a header value this worker (or an older release of it) set; undefined for anything else. */
function decodeQuietly(value: string | undefined): PreloadPayment | undefined {
  try {
    return decodePreloadPaymentHeader(value);
  } catch {
    return undefined;
  }
}
