import {
  type ChannelLock,
  type ChannelStorage,
  fetchWithStoredChannel,
  PaymentRefusedError,
} from "@micro-raiden/web-client";
import { decodePaymentResponseHeaders, headerNames, type PaymentRequirements } from "@micro-raiden/web-client/protocol";
import type { KeptPages } from "./keptPages.ts";
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
   * the unpaid answer instead of sending the request again.
   */
  preloaded?: Promise<Response | undefined> | undefined;
  /** The paid pages the worker keeps, so a reload within their max-age is not paid again. */
  kept?: KeptPages | undefined;
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
};

/**
 * What the worker answers a request with. It sends the request as it is; anything but a 402 is the answer (a free
 * page, a page the browser still has in its cache from an earlier payment: no second charge). A 402 naming a
 * receiver the reader granted (or a voucher for this URL) is paid with the web-client's `fetchWithStoredChannel` and the
 * paid answer returned. Whenever the payment cannot be made here (no channel, deposit or budget too small, a
 * channel the receiver does not know, anything needing the wallet or the chain) the first 402 — the paywall page —
 * is the answer: never a blank page, and the page's paywall takes over.
 *
 * A reload skips the browser's HTTP cache, so the network answers 402 for a page paid seconds ago: when the worker
 * kept that page's paid answer (`kept`, within the receiver's `private, max-age`), the kept copy is the answer and
 * nothing is paid. A paid GET navigation's answer is kept before it is returned.
 *
 * Navigation requests cannot be rebuilt with their `navigate` mode; `fetchWithStoredChannel` copies them with new
 * headers, which the Fetch standard turns into `same-origin` mode while keeping the method, body, credentials and
 * `manual` redirect mode (a redirect reaches the browser as such and it follows it as a navigation). A body is read
 * from clones, so a POSTed form can be sent twice (unpaid, then paid).
 */
export async function payRequest(request: Request, parameters: PayRequestParameters): Promise<Response> {
  // Kept before anything reads the body: the paid copy is made from it.
  const original = request.clone();
  const first = (await parameters.preloaded) ?? (await parameters.fetch(request));
  if (first.status !== 402) return first;

  let requirements: PaymentRequirements;
  try {
    ({ requirements } = decodePaymentResponseHeaders(first.headers));
  } catch {
    return first; // Not a receiver's 402: not ours to pay.
  }
  const voucher = parameters.takeVoucher(request.url);
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
    return parameters.fetch(input, init);
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
      const keeping = parameters.kept?.keep(original, paid).catch(() => {});
      if (keeping) waitUntil?.(keeping);
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
