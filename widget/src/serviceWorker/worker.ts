// The payment Service Worker (built into micro-raiden-sw.js, served by the receiver at /micro-raiden-sw.js with
// scope /). It pays for navigations to its own origin that answer 402 (and for GETs a page script marks with
// RDN-Auto-Pay), for receivers the reader granted, within what the channel pays automatically, so following a link to
// the next paid article loads it paid: no prompt, no paywall flash. See the widget README, "Paid navigation".
/// <reference lib="webworker" />
import { defaultLock, indexedDbStorage } from "@micro-raiden/web-client";
import { navigationPreload } from "@micro-raiden/web-client/protocol";
import { grantStore } from "./grantStore.ts";
import { keptPages } from "./keptPages.ts";
import { carriesPayment, marksAutoPay, payRequest } from "./payRequest.ts";
import { preloadHeader } from "./preloadHeader.ts";
import { priceRoutes } from "./priceRoutes.ts";
import {
  decodeWorkerRequest,
  type NavigationVoucher,
  paymentWorkerProtocol,
  type WorkerAnswer,
} from "./workerMessages.ts";

declare const self: ServiceWorkerGlobalScope;

const grants = grantStore();
const kept = keptPages(self.caches);
const routes = priceRoutes();
const preload = preloadHeader(self.registration.navigationPreload);
// The pages' channel storage and lock, for the worker's life: its database connection is opened once, not per payment.
const storage = indexedDbStorage();
const lock = defaultLock();

/**
 * Wallet-signed proofs waiting for their navigation, by URL. In memory on purpose: a voucher is for the navigation
 * the page starts right after handing it over (the browser keeps the worker alive meanwhile); should the worker
 * have been stopped in between, the reader sees the paywall and signs again, and no stale proof lingers on disk.
 */
const vouchers = new Map<string, { voucher: NavigationVoucher; expiresAt: number }>();
const voucherLifetimeMs = 60_000;

function takeVoucher(url: string): NavigationVoucher | undefined {
  const entry = vouchers.get(url);
  vouchers.delete(url);
  return entry && entry.expiresAt > Date.now() ? entry.voucher : undefined;
}

// A new release takes over at once instead of waiting for every tab to close: what it shares with the old one
// (channels, grants, locks) is versioned storage, and pages talk to it through versioned messages.
self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});
self.addEventListener("activate", (event) => {
  // Navigation preload: the browser sends a navigation while the worker is still starting, so a free page (or the
  // unpaid first try of a paid one) costs no worker start-up time.
  event.waitUntil(
    Promise.all([self.clients.claim(), self.registration.navigationPreload?.enable().then(announcePayingFirst)]),
  );
});

/**
 * Tells the receiver, on every navigation preload, whether this worker pays announced routes first: while it holds a
 * grant it sends such a navigation paid itself, and the receiver answers the unpaid preload with a bodiless 402
 * instead of rendering a paywall page for nothing. Without a grant, the browser's default value. Kept in the
 * registration (it outlives the worker), so set where the grants change and again on activate. Either way without a
 * payment: the next one is prepared after the next page paid (see payRequest's prepareNext).
 */
async function announcePayingFirst() {
  await preload.set((await grants.any()) ? navigationPreload.paysFirst : navigationPreload.browserDefault);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (!handles(request)) return;
  event.respondWith(
    payRequest(request, {
      findGrant: grants.find,
      takeVoucher,
      kept,
      routes,
      fetch: (input, init) => fetch(input, init),
      preloaded: request.mode === "navigate" ? event.preloadResponse : undefined,
      waitUntil: (task) => event.waitUntil(task),
      storage,
      lock,
      preloadHeader: preload,
    }),
  );
});

/**
 * Requests to this origin (the receiver's) that are navigations, or GETs a page script marked as paid on purpose
 * (RDN-Auto-Pay: 1), and do not pay already. Everything else passes by unpaid: images, stylesheets and a script's
 * unmarked requests (a greedy or buggy script must not spend the reader's deposit), other origins, other methods
 * from scripts (their bodies may be streams) and the page's own paid requests.
 */
function handles(request: Request): boolean {
  if (new URL(request.url).origin !== self.location.origin) return false;
  if (carriesPayment(request)) return false;
  return request.mode === "navigate" || (request.method === "GET" && marksAutoPay(request));
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const answer = (message: WorkerAnswer) => port?.postMessage(message);
  event.waitUntil(
    (async () => {
      try {
        const message = decodeWorkerRequest(event.data);
        if (!message) return;
        // Pages kept for one grant are not served under another (another sender, budget or price limit).
        if (message.type === "grant") {
          if (await grants.put(message.grant)) await kept.clear();
          await announcePayingFirst();
        }
        if (message.type === "revoke") {
          await grants.clear();
          await announcePayingFirst();
          await routes.clear();
          vouchers.clear();
          await kept.clear();
        }
        if (message.type === "voucher") {
          vouchers.set(message.voucher.url, { voucher: message.voucher, expiresAt: Date.now() + voucherLifetimeMs });
        }
        answer({ protocol: paymentWorkerProtocol, ok: true });
      } catch (error) {
        answer({
          protocol: paymentWorkerProtocol,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    })(),
  );
});
