import {
  type ChannelLock,
  type ChannelStorage,
  fetchWithStoredChannel,
  type PaymentClient,
  PaymentOutcomeUnknownError,
  PaymentRefusedError,
  preparePayment,
  recordPreparedPayment,
} from "@micro-raiden/web-client";
import {
  decodePaymentResponseHeaders,
  echoesPayment,
  encodePaymentResponseHeaders,
  headerNames,
  navigationPreload,
  type PaymentRequirements,
  type PreloadPayment,
} from "@micro-raiden/web-client/protocol";
import type { KeptPages } from "./keptPages.ts";
import type { PreloadHeader } from "./preloadHeader.ts";
import type { PriceRoute, PriceRoutes } from "./priceRoutes.ts";
import { workerClient } from "./workerClient.ts";
import type { NavigationVoucher, PaymentGrant } from "./workerMessages.ts";

export type PayRequestParameters = {
  /** The reader's grant for the receiver a 402 names, if any. */
  findGrant: (requirements: PaymentRequirements) => Promise<PaymentGrant | undefined>;
  /** Takes (removes) the wallet-signed voucher for this URL, if a page left one. */
  takeVoucher: (url: string) => NavigationVoucher | undefined;
  /** The network (the worker's global fetch; tests may wrap it). */
  fetch: typeof globalThis.fetch;
  /**
   * The browser's answer to the navigation it already sent while the worker started (navigation preload), used as
   * the unpaid answer instead of sending the request again. Unless the receiver skipped it (a bodiless 402 marked
   * RDN-Preload-Skipped, as this worker said it pays announced routes first): that is never an answer to show, and
   * the request is sent again.
   */
  preloaded?: Promise<Response | undefined> | undefined;
  /** The paid pages the worker keeps, so a reload within their max-age is not paid again. */
  kept?: KeptPages | undefined;
  /**
   * The prices the receiver announced for its routes (RDN-Price-Route), learned from its answers: a GET under such a
   * route is paid with its first request (one round trip instead of two) when a grant covers it.
   */
  routes?: PriceRoutes | undefined;
  /** How long to keep asking while the receiver waits for the channel's confirmations, in ms (default 20 000). */
  confirmationWaitMs?: number | undefined;
  /**
   * Keeps the worker alive for what is finished after the paid answer went out: recording the new balance (under
   * the receiver's lock, which the next payment waits for) and keeping the page. The fetch event's `waitUntil`.
   */
  waitUntil?: ((task: Promise<unknown>) => void) | undefined;
  /** The pages' channel storage and lock (one of each for the worker's life, so its database stays open). */
  storage?: ChannelStorage | undefined;
  lock?: ChannelLock | undefined;
  /**
   * The worker's navigation preload header: the payment it carries (the preload's answer is then the paid page, or
   * says the payment was not taken), and where the payment for the next page of a route is put after each payment.
   */
  preloadHeader?: PreloadHeader | undefined;
};

/**
 * What the worker answers a request with. It sends the request as it is; anything but a 402 is the answer (a free
 * page, a page the browser still has in its cache from an earlier payment: no second charge). A 402 naming a
 * receiver the reader granted (or a voucher for this URL) is paid with the web-client's `fetchWithStoredChannel` and the
 * paid answer returned. Whenever the payment cannot be made here (no channel, deposit or budget too small, a
 * channel the receiver does not know, anything needing the wallet or the chain) the first 402 — the paywall page —
 * is the answer: never a blank page, and the page's paywall takes over.
 *
 * A reload revalidates the browser's copy, which the receiver answers 304 within its paid max-age; without that copy
 * (its cache cleared or evicted) the network answers 402 for a page paid seconds ago: when the worker kept that page's
 * paid answer (`kept`, within the receiver's `private, max-age`), the kept copy is the answer and nothing is paid. A
 * paid GET navigation's answer is kept a moment after it is returned (from the browser's cache).
 *
 * Navigation requests cannot be rebuilt with their `navigate` mode; `fetchWithStoredChannel` copies them with new
 * headers, which the Fetch standard turns into `same-origin` mode while keeping the method, body, credentials and
 * `manual` redirect mode (a redirect reaches the browser as such and it follows it as a navigation). A body is read
 * from clones, so a POSTed form can be sent twice (unpaid, then paid).
 *
 * Paying first: a GET under a route whose price the receiver announced (`routes`) is sent with the payment at once,
 * for a receiver the reader granted, within the same limits. A guess that no longer holds costs a round trip, never
 * money: a free page ignores the proof (nothing is recorded), and a changed price is refused with the right one,
 * which is then paid the usual way.
 */
export async function payRequest(request: Request, parameters: PayRequestParameters): Promise<Response> {
  // Kept before anything reads the body: the paid copy is made from it.
  const original = request.clone();
  // A wallet-signed voucher is for the price the reader saw on the paywall: it is presented after the 402, as ever.
  const voucher = parameters.takeVoucher(request.url);
  const payable = !voucher && request.method === "GET";
  // A grant revoked or replaced while this request is paid: no next payment is prepared under the old one.
  const since = parameters.preloadHeader?.announcements() ?? 0;
  // A preload that got no answer (its connection failed) is as none: the worker sends the request itself. Should the
  // receiver have taken the payment it carried, the worker's own payment is the same proof for the same request,
  // which the receiver serves again without charging it twice.
  const preloadAnswer = parameters.preloaded?.catch(() => undefined);
  const carried = preloadAnswer && (await parameters.preloadHeader?.carried());
  const route = payable ? await parameters.routes?.find(request.url) : undefined;
  // The preload may carry the payment for the next page: its answer comes first, whenever the worker believes it
  // carries one or the page is under a route it would pay first (the belief may lag the header by a write: paying
  // first beside a preload the receiver took would pay twice). Paid with the payment, that is the page (even over a
  // voucher: the page is paid, once); anything else is what the preload would have answered without it.
  const answered = carried || route ? await preloadAnswer : undefined;
  if (carried && answered?.ok && echoesPayment(answered.headers, carried.payment))
    return paidByPreload(original, answered, carried, parameters, since);
  // A preload answered otherwise than skipped (a free page, a full 402) is the first answer: no paying first.
  const paysFirst = route && (!answered || skippedPreload(answered));
  let paidFirst = paysFirst ? await payFirst(original, route, parameters, since) : "untried";
  let preloaded = paidFirst === "untried" ? await preloadAnswer : undefined;
  if (preloaded && skippedPreload(preloaded)) {
    // Never an answer to show. The receiver skipped it for a route it announces (its headers say which): news to
    // the worker, the page may be paid first now; otherwise it is sent again, unpaid.
    const skipped = preloaded;
    preloaded = undefined;
    await skipped.body?.cancel();
    const learned = !route && payable ? await learnRoute(request.url, skipped, parameters) : undefined;
    if (learned) paidFirst = await payFirst(original, learned, parameters, since);
  }
  if (paidFirst instanceof Response) return paidFirst;
  // A refused first payment went to the network in place of the preloaded answer, which is dropped: ask again.
  if (paidFirst === "refused") preloadAnswer?.then((response) => response?.body?.cancel()).catch(() => {});
  const first = preloaded ?? (await parameters.fetch(original.clone()));
  await parameters.routes?.learn(first).catch(() => {});
  if (first.status !== 402) return first;

  let requirements: PaymentRequirements;
  try {
    ({ requirements } = decodePaymentResponseHeaders(first.headers));
  } catch {
    return first; // Not a receiver's 402: not ours to pay.
  }
  // Both are local reads: side by side.
  const [kept, grant] = await Promise.all([
    parameters.kept?.find(original),
    voucher ? undefined : parameters.findGrant(requirements),
  ]);
  if (kept) {
    await first.body?.cancel();
    return kept;
  }
  if (!voucher && !grant) return first;

  // fetchWithStoredChannel starts by sending the request unpaid; it has just been sent, so that first call gets this
  // 402 (a copy: the original stays the answer if the payment fails) and every later call goes to the network.
  let primed: Response | undefined = first.clone();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (primed) {
      const answer = primed;
      primed = undefined;
      return answer;
    }
    return learning(parameters)(input, init);
  };
  const { storage, lock, waitUntil } = parameters;
  const client = voucher
    ? workerClient({ voucher, fetch, storage, lock })
    : grant && workerClient({ grant, fetch, storage, lock });
  if (!client) return first;
  const deadline = Date.now() + (parameters.confirmationWaitMs ?? 20_000);
  for (;;) {
    try {
      // One attempt when no answer comes back: a navigation the reader waits on should not hang on retries.
      // The answer goes to the page as soon as the receiver took the payment; the new balance is recorded (under the
      // lock the next payment waits for) and the page kept meanwhile.
      const paid = await fetchWithStoredChannel(client, { input: original.clone(), retryCount: 1, waitUntil });
      // A reload finds the page even while it is still being kept (`find` waits for it). A failure to keep costs
      // the reader nothing now (only a later reload would be paid), so it does not fail the paid answer.
      const keeping = parameters.kept?.keep(original).catch(() => {});
      if (keeping) waitUntil?.(keeping);
      if (grant && paid.ok) prepareNext(original.url, client, parameters, since);
      return paid;
    } catch (error) {
      // A channel opened moments ago that the receiver has not seen confirmed yet (it reads the chain every
      // second or so): the worker cannot watch the chain, so it asks again shortly rather than show the paywall
      // to a reader who has just paid the deposit. Nothing was recorded, so asking again pays once.
      const unconfirmed = error instanceof PaymentRefusedError && error.failure?.code === "insufficient_confirmations";
      if (!unconfirmed || Date.now() + confirmationPollMs > deadline) return first;
      await new Promise((resolve) => setTimeout(resolve, confirmationPollMs));
    }
  }
}

/**
 * Sends `original` with the payment for the price `route` announced, without waiting for its 402: the paid answer
 * (or a kept copy, or the free answer of a page that no longer costs anything). "untried" without a grant for it,
 * "refused" when the payment could not be made: nothing was charged either way, and the caller goes the usual way.
 */
async function payFirst(
  original: Request,
  route: PriceRoute,
  parameters: PayRequestParameters,
  since: number,
): Promise<Response | "untried" | "refused"> {
  const [kept, grant] = await Promise.all([parameters.kept?.find(original), parameters.findGrant(route.requirements)]);
  if (kept) return kept;
  if (!grant) return "untried";

  // The announced requirements stand in for the 402 fetchWithStoredChannel asks for first; the paid request says
  // which price it pays (RDN-Price), so a receiver whose price changed refuses it at once with the right one.
  let primed: Response | undefined = new Response(null, {
    status: 402,
    headers: encodePaymentResponseHeaders({ requirements: route.requirements }),
  });
  let guess = true;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (primed) {
      const answer = primed;
      primed = undefined;
      return answer;
    }
    const outgoing = new Request(input, init);
    if (guess) outgoing.headers.set(headerNames.price, route.requirements.price.toString());
    guess = false;
    return learning(parameters)(outgoing);
  };
  const { storage, lock, waitUntil } = parameters;
  const client = workerClient({ grant, fetch, storage, lock });
  let paid: Response;
  try {
    paid = await fetchWithStoredChannel(client, { input: original.clone(), retryCount: 1, waitUntil });
  } catch (error) {
    // Sent, and no answer: the receiver may have taken it. The usual way would pay again; the unpaid answer (its
    // paywall) is the answer instead, as it is when this happens on the usual way.
    if (error instanceof PaymentOutcomeUnknownError) return parameters.fetch(original.clone());
    return "refused";
  }
  // A page that answers without taking the payment (it became free): the announcement no longer holds for it.
  if (paid.ok && !paid.headers.has(headerNames.senderBalance)) {
    await parameters.routes?.forget(route.route).catch(() => {});
    return paid;
  }
  const keeping = parameters.kept?.keep(original).catch(() => {});
  if (keeping) waitUntil?.(keeping);
  if (paid.ok) prepareNext(original.url, client, parameters, since);
  return paid;
}

/**
 * The answer to a navigation whose preload carried the payment and the receiver took it: the paid page. Its payment
 * is recorded (under the lock the next payment waits for), the page kept, and the next page's payment prepared,
 * after the answer went out.
 */
function paidByPreload(
  original: Request,
  answer: Response,
  carried: PreloadPayment,
  parameters: PayRequestParameters,
  since: number,
): Response {
  const { storage, lock, waitUntil } = parameters;
  const settling = (async () => {
    await parameters.routes?.learn(answer).catch(() => {});
    const { requirements } = decodePaymentResponseHeaders(answer.headers);
    const grant = await parameters.findGrant(requirements);
    // Revoked meanwhile: not recorded here; the channel's next payment takes it from the receiver's echo.
    if (!grant) return;
    const client = workerClient({ grant, fetch: parameters.fetch, storage, lock });
    await recordPreparedPayment(client, { chainId: grant.chainId, payment: carried.payment, amount: carried.price });
    prepareNext(original.url, client, parameters, since);
  })().catch(() => {});
  waitUntil?.(settling);
  const keeping = parameters.kept?.keep(original).catch(() => {});
  if (keeping) waitUntil?.(keeping);
  return answer;
}

/** How long after a payment the next one is prepared: first the page that payment answered gets the processor. */
const prepareDelayMs = 50;

/**
 * Puts the payment for the next page of `url`'s route (at the price the receiver announced for it) in the
 * navigation preload header, once this payment is recorded: the reader's next click on such a page is then paid by
 * the browser's preload, before the worker has even started. `preparePayment` makes the checks a payment makes
 * (the channel's price and rate limits, the budget, the deposit); where one fails, or the receiver announced no
 * route, the header keeps only the pays-first mark, and the next page is paid the usual way. Nothing when the
 * worker announced its grants again after the payment started at `since` (the reader revoked or replaced the grant
 * `client`, the payment's own, pays under).
 */
function prepareNext(url: string, client: PaymentClient, parameters: PayRequestParameters, since: number): void {
  const { preloadHeader, routes, waitUntil } = parameters;
  if (!preloadHeader || !routes) return;
  const preparing = (async () => {
    await new Promise((resolve) => setTimeout(resolve, prepareDelayMs));
    const route = await routes.find(url);
    const payment =
      route && (await preparePayment(client, { requirements: route.requirements }).catch(() => undefined));
    await preloadHeader.set(
      payment && route ? { payment, price: route.requirements.price } : navigationPreload.paysFirst,
      since,
    );
  })().catch(() => {});
  waitUntil?.(preparing);
}

/** Whether the receiver skipped a navigation preload (see {@link PayRequestParameters.preloaded}). */
function skippedPreload(response: Response): boolean {
  return response.status === 402 && response.headers.has(headerNames.preloadSkipped);
}

/** The route `answer` announces for `url`, learned (undefined when it announces none that matches). */
async function learnRoute(url: string, answer: Response, parameters: PayRequestParameters) {
  await parameters.routes?.learn(answer).catch(() => {});
  return parameters.routes?.find(url);
}

/**
 * The network (`parameters.fetch`), learning the receiver's price announcements from every answer it gets (the
 * stand-in 402s a payment starts from are not answers: they taught what they hold already).
 */
function learning(parameters: PayRequestParameters): typeof globalThis.fetch {
  const { fetch, routes } = parameters;
  if (!routes) return fetch;
  return async (input, init) => {
    const response = await fetch(input, init);
    await routes.learn(response).catch(() => {});
    return response;
  };
}

/** How often the worker asks again while the receiver waits for a channel's confirmations. */
const confirmationPollMs = 500;

/** Whether a page script marked a request as one the reader's channel may pay automatically. */
export function marksAutoPay(request: Request): boolean {
  return request.headers.get(headerNames.autoPay) === "1";
}

/** Whether a request already carries a payment (the page's own paid fetch): the worker leaves those alone. */
export function carriesPayment(request: Request): boolean {
  return request.headers.has(headerNames.balanceSignature);
}
