import { askPaymentWorker } from "./askPaymentWorker.ts";

export type RegisterPaymentWorkerOptions = {
  /** Where the receiver serves the worker (default `/micro-raiden-sw.js`, on this page's origin). */
  scriptUrl?: string | undefined;
  /** How long to wait for the worker to start and answer, in ms (default 5 000). */
  timeoutMs?: number | undefined;
};

const defaultScriptUrl = "/micro-raiden-sw.js";
let registering: Promise<ServiceWorkerRegistration | undefined> | undefined;

/**
 * Installs the payment Service Worker for this origin (scope `/`) and resolves once an active worker of this
 * release answers, or with undefined where there is none to be had: no Service Worker support (private windows in
 * some browsers, an insecure origin, workers disabled or blocked), a failed registration, or no answer in time.
 * Callers then use the fallback (`navigatePaid` does). A worker from an older release (it does not answer this
 * protocol) is replaced: the browser is asked for the current script, which takes over at once (`skipWaiting`,
 * `clients.claim`). One registration per page: later calls share the first one's outcome.
 *
 * @example
 * import { registerPaymentWorker } from "@micro-raiden/widget/navigation";
 * const registration = await registerPaymentWorker(); // undefined: paid navigation uses the ticket fallback
 */
export function registerPaymentWorker(
  options: RegisterPaymentWorkerOptions = {},
): Promise<ServiceWorkerRegistration | undefined> {
  registering ??= register(options).then(
    (registration) => {
      // A failure is not remembered: the next call may find the worker available (an update came through).
      if (!registration) registering = undefined;
      return registration;
    },
    () => {
      registering = undefined;
      return undefined;
    },
  );
  return registering;
}

async function register(options: RegisterPaymentWorkerOptions): Promise<ServiceWorkerRegistration | undefined> {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) return undefined;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  // The worker file is always fetched from the receiver (never from the HTTP cache) when the browser checks it.
  const registration = await container.register(options.scriptUrl ?? defaultScriptUrl, {
    scope: "/",
    updateViaCache: "none",
  });
  if (await answers(registration, deadline)) return registration;
  // Installed but silent: a worker from an older release. Fetch the current one; it replaces the old one at once.
  await registration.update();
  return (await answers(registration, deadline)) ? registration : undefined;
}

/** Whether the registration's active worker (once there is one) answers this protocol before the deadline. */
async function answers(registration: ServiceWorkerRegistration, deadline: number): Promise<boolean> {
  for (;;) {
    const worker = registration.active;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    if (worker && (await askPaymentWorker(worker, { type: "hello" }, Math.min(left, 1_000)))) return true;
    // No active worker yet (installing), or an old one that is being replaced: look again shortly.
    if (!worker || registration.installing || registration.waiting) await sleep(Math.min(left, 50));
    else if (worker === registration.active) return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
