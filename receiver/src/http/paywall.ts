import { EventEmitter } from "node:events";
import {
  decodePaymentHeaders,
  decodePreloadPaymentHeader,
  encodeErrorBody,
  encodePaymentRequiredBody,
  encodePaymentResponseHeaders,
  encodePriceRouteHeader,
  encodeSponsorOfferHeader,
  headerNames,
  isPriceRoute,
  MalformedHeaderError,
  navigationPreload,
  type Payment,
  type PaymentRequirements,
  parseUint,
  paymentFailureMessages,
  paysFirstPreload,
} from "@micro-raiden/web-client/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { formatUnits } from "viem";
import type { Receiver } from "../Receiver.ts";
import type { PaymentRejection } from "../receiver/createReceiverCore.ts";
import { navigationTickets } from "./navigationTickets.ts";
import { setPaidRequirements } from "./paidRequirements.ts";
import { paywallPage } from "./paywallPage.ts";
import { payExact, readExactPayment, x402PaymentRequiredHeader } from "./x402Exact.ts";

/** A price in token base units, fixed or computed from the request (µRaiden's dynamic price). */
export type Price = bigint | ((c: Context) => bigint | Promise<bigint>);

export type PaywallOptions = {
  receiver: Receiver;
  price: Price;
  /** HTML shown to browsers above the paywall (a teaser of the content). */
  teaser?: ((c: Context) => string) | undefined;
  /**
   * URL of the paywall script the 402 page loads, or a function answering it when the page is rendered (as
   * `staticAssets(…).paywallScriptUrl`, whose URL follows the script file's content hash).
   */
  paywallScript?: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  /**
   * The most a page of this site costs, in token base units, declared on the 402 page (`data-max-price`): a reader's
   * channel opened there pays automatically up to it ("Automatically, up to 0.005 TKN a page"). Without it the
   * widget takes the price of the page where the reader opens the channel, and asks before paying a pricier page.
   */
  autoPayMaxPrice?: bigint | undefined;
  /**
   * How long the reader's browser may keep a paid response, in seconds (`Cache-Control: private, max-age=…`;
   * default 300): going back to a page just paid for shows it again without paying again. Shared caches never
   * store it.
   */
  paidMaxAge?: number | undefined;
  /**
   * The route whose every page costs what this one does, announced on the 402s and paid answers of GETs
   * (`RDN-Price-Route: /articles/:id`): a reader's payment worker then pays the next page of that route with its
   * first request instead of waiting for its 402, saving a round trip per paid page. Default: the Hono route this
   * paywall guards (`c.req.routePath`) when the price is fixed, none when it is a function (the price may differ
   * page by page). `false`: announce none. A wrong announcement costs the reader a round trip, never money: a
   * payment of the wrong amount is refused with the right price.
   */
  priceRoute?: string | false | undefined;
};

/** Default of {@link PaywallOptions.paidMaxAge}: five minutes of back and forward without paying twice. */
export const defaultPaidMaxAge = 300;

/**
 * Hono middleware that charges for what it guards. Without a payment it answers 402 with the requirements (an
 * HTML page for browsers, JSON for machines), or 304 to a revalidation of a copy paid within `paidMaxAge`. With one, it verifies it and holds the channel, runs the handler,
 * and only if the handler succeeded commits the proof durably and then lets the paid response out, with the new
 * balance in RDN-Sender-Balance. A handler that fails charges nothing.
 *
 * @example
 * import { Hono } from "hono";
 * import { paywall, receiverApi, startReceiver } from "@micro-raiden/receiver";
 * const receiver = await startReceiver({ rpcUrl, deployment, privateKey, dbPath: "receiver.db" });
 * const app = new Hono();
 * app.route(receiver.gatewayPath, receiverApi({ receiver }));
 * app.get("/articles/:id", paywall({ receiver, price: 10n ** 15n }), (c) => c.text("paid content"));
 */
export function paywall(options: PaywallOptions): MiddlewareHandler {
  const { receiver } = options;
  if (typeof options.price === "bigint" && options.price <= 0n) {
    throw new Error("paywall: a price must be positive (serve free resources without the paywall).");
  }
  const paidMaxAge = options.paidMaxAge ?? defaultPaidMaxAge;
  if (!Number.isSafeInteger(paidMaxAge) || paidMaxAge < 0) {
    throw new Error("paywall: paidMaxAge must be a whole number of seconds (0 or more).");
  }
  const paidCacheControl = `private, max-age=${paidMaxAge}`;
  if (typeof options.priceRoute === "string" && !isPriceRoute(options.priceRoute)) {
    throw new Error(
      `paywall: priceRoute "${options.priceRoute}" is not a route of literal segments, :parameters and a final *.`,
    );
  }
  const tickets = navigationTickets({ shared: receiver.sharedState });
  const announcements = priceRouteAnnouncements(options);
  return async function paywallMiddleware(c, next) {
    const price = typeof options.price === "bigint" ? options.price : await options.price(c);
    if (price <= 0n) throw new Error("paywall: the price function returned a non-positive price.");
    const requirements = receiver.requirements(price);
    // On every 402: a reader without a channel (or whose channel is gone) may take up the receiver's offer, and an
    // x402 client reads the same terms in PAYMENT-REQUIRED. Encoded only for a 402: a paid answer carries neither,
    // and encoding PAYMENT-REQUIRED (base64 JSON) was ~5% of a paid request's CPU in a profile under bench:server.
    const offer = () => ({
      ...(receiver.sponsor ? encodeSponsorOfferHeader(receiver.sponsor.offer) : {}),
      ...x402PaymentRequiredHeader(c, receiver, requirements),
    });
    const announced = announcements.of(c);

    const exactPayment = readExactPayment(c, receiver);
    if (exactPayment && receiver.exact) {
      return payExact(c, next, {
        receiver,
        exact: receiver.exact,
        requirements,
        payment: exactPayment,
        paidCacheControl,
      });
    }

    let payment: Payment | undefined;
    try {
      payment = decodePaymentHeaders(c.req.raw.headers);
    } catch (error) {
      if (error instanceof MalformedHeaderError) {
        return c.json(
          encodeErrorBody("malformed_header", error.shortMessage),
          400,
          encodePaymentResponseHeaders({ requirements }),
        );
      }
      throw error;
    }

    // A reload of a page paid moments ago: the browser's own copy stands (and is not dropped from its cache, as a 402
    // would drop it; a payment worker's preload that carries a payment does not pay for it again).
    const revalidates = !payment && !exactPayment && (c.req.method === "GET" || c.req.method === "HEAD");
    const fresh = revalidates ? paidCopyFreshFor(c, paidMaxAge) : undefined;
    if (fresh !== undefined) return c.body(null, 304, { "cache-control": `private, max-age=${fresh}` });

    // A payment worker that pays this route first sends the navigation paid itself: the unpaid copy the browser
    // preloaded meanwhile gets a bodiless 402 instead of a paywall page nobody sees, with the requirements and the
    // route (a worker that did not know the route yet pays first from them). Anyone may send the mark: it only ever
    // gets this answer, for a page that would have been a 402 anyway.
    const skipped = () =>
      c.body(null, 402, {
        ...encodePaymentResponseHeaders({ requirements }),
        ...announced,
        [headerNames.preloadSkipped]: "1",
        "cache-control": "no-store",
      });
    // The worker's preload may carry the payment itself (see preloadPaymentFor): then the preload is the paid request.
    let preloaded = false;
    if (!payment && !exactPayment && headerNames.priceRoute in announced && paysFirst(c)) {
      payment = preloadPaymentFor(c, price);
      // Checked before the ticket, which is then left for the worker's own request.
      if (!payment) return skipped();
      preloaded = true;
    }

    if (!payment) {
      // The fallback of paid navigation without a Service Worker: the page paid for this very request and the
      // reload that follows presents the one-time ticket it got (see navigationTickets).
      if (await tickets.redeem(c, requestKey(c))) {
        setPaidRequirements(c, requirements, options.receiver.site);
        await next();
        if (c.res.ok) setPaidCaching(c.res.headers, paidCacheControl);
        return;
      }
      const headers = {
        ...encodePaymentResponseHeaders({ requirements }),
        ...offer(),
        ...announced,
        "cache-control": "no-store",
      };
      const { token } = receiver;
      const message = `Payment required: ${formatUnits(price, token.decimals)} ${token.symbol} (${price} token base units).`;
      if (prefersHtml(c)) {
        return c.html(
          paywallPage({
            requirements,
            token,
            teaser: options.teaser?.(c) ?? "",
            script: typeof options.paywallScript === "function" ? await options.paywallScript() : options.paywallScript,
            autoPayMaxPrice: options.autoPayMaxPrice,
            site: options.receiver.site,
          }),
          402,
          headers,
        );
      }
      return c.json(encodePaymentRequiredBody({ price, message }), 402, headers);
    }

    let paidPrice: bigint | undefined = preloaded ? price : undefined;
    try {
      const stated = preloaded ? undefined : c.req.header(headerNames.price);
      if (stated !== undefined) paidPrice = parseUint(headerNames.price, stated);
    } catch (error) {
      if (!(error instanceof MalformedHeaderError)) throw error;
      return c.json(
        encodeErrorBody("malformed_header", error.shortMessage),
        400,
        encodePaymentResponseHeaders({ requirements }),
      );
    }
    const outcome = await receiver.acceptPayment(payment, price, requestKey(c), paidPrice);
    // A payment the preload carried that is not taken (already used, stale, refused): the worker, which is waiting
    // for this answer, pays the usual way. Never a paywall page nobody sees.
    if (preloaded && outcome.kind !== "accepted") return skipped();
    if (outcome.kind === "bad_request") {
      return c.json(
        encodeErrorBody(outcome.code, outcome.message),
        400,
        encodePaymentResponseHeaders({ requirements }),
      );
    }
    if (outcome.kind === "failure") return refusal(c, outcome, requirements, { ...offer(), ...announced });

    const timedOut = (message: string) =>
      c.json(encodeErrorBody("upstream_unavailable", message), 504, {
        ...encodePaymentResponseHeaders({ requirements }),
        "cache-control": "no-store",
      });
    if (outcome.kind === "timeout") return timedOut(outcome.message);
    if (outcome.kind === "unavailable") return storeUnavailable(c, outcome, requirements);

    setPaidRequirements(c, requirements, options.receiver.site);
    let answered: boolean;
    try {
      answered = await finishesWithin(next(), receiver.requestTimeoutMs);
    } catch (error) {
      outcome.release();
      throw error;
    }
    // A handler (or upstream) still busy after the request timeout gives the channel back: the reader's next payment
    // and close go on, and whatever it answers later goes nowhere.
    if (!answered) {
      outcome.release();
      return timedOut(`The paid resource did not answer within ${receiver.requestTimeoutMs} ms; nothing was charged.`);
    }
    // Nothing delivered, nothing charged: a failed handler, or a HEAD (Hono answers it with the GET handler
    // and no body).
    if (c.error || c.res.status >= 400 || c.req.method === "HEAD") {
      outcome.release();
      return;
    }
    const refused = await outcome.settle();
    if (refused) {
      // Nothing charged, so the handler's answer must not go out: another receiver took this balance (402 with the
      // channel's balance now, to pay again on), or the database is out of reach (503).
      c.res = preloaded ? skipped() : refusal(c, refused, requirements, { ...offer(), ...announced });
      return;
    }
    const paidHeaders = { ...encodePaymentResponseHeaders({ requirements, echo: outcome.echo }), ...announced };
    for (const [name, value] of Object.entries(paidHeaders)) {
      c.res.headers.set(name, value);
    }
    setPaidCaching(c.res.headers, paidCacheControl);
    // The reload a ticket pays for is the payment's second delivery: a repeat had it already, and gets no ticket.
    if (c.req.header(headerNames.navigationTicket) !== undefined && !outcome.repeat) {
      await tickets.issue(c, requestKey(c), {
        sender: outcome.echo.sender,
        openBlock: payment.openBlock,
        balance: outcome.echo.balance,
        take: outcome.takeSecondDelivery,
      });
    }
    whenDelivered(c, outcome.delivered);
  };
}

/** The answer to a payment refused (402) or not decided (503, the database out of reach), charging nothing. */
function refusal(
  c: Context,
  rejection: Exclude<PaymentRejection, { kind: "bad_request" | "timeout" }>,
  requirements: PaymentRequirements,
  /** The 402's other headers: the sponsor offer, the route's announced price. */
  extra: Record<string, string>,
): Response {
  if (rejection.kind === "unavailable") return storeUnavailable(c, rejection, requirements);
  const { failure, echo } = rejection;
  return c.json(encodeErrorBody(failure.code, paymentFailureMessages[failure.code]), 402, {
    ...encodePaymentResponseHeaders({ requirements, echo, failure }),
    ...extra,
    "cache-control": "no-store",
  });
}

/** 503 with Retry-After: the shared database is out of reach, nothing was charged; the same payment may come again. */
function storeUnavailable(
  c: Context,
  rejection: Extract<PaymentRejection, { kind: "unavailable" }>,
  requirements: PaymentRequirements,
): Response {
  return c.json(encodeErrorBody("store_unavailable", rejection.message), 503, {
    ...encodePaymentResponseHeaders({ requirements }),
    "retry-after": String(rejection.retryAfterSeconds),
    "cache-control": "no-store",
  });
}

/**
 * The RDN-Price-Route header of a GET's answer (see PaywallOptions.priceRoute), or none: worked out once per route
 * (a paywall guards a handful), not on every paid request.
 */
function priceRouteAnnouncements(options: PaywallOptions) {
  const byRoute = new Map<string, Record<string, string>>();
  return {
    of(c: Context): Record<string, string> {
      if (options.priceRoute === false || (c.req.method !== "GET" && c.req.method !== "HEAD")) return {};
      // A price function may differ page by page: announced only for a route the site names.
      const route =
        typeof options.priceRoute === "string"
          ? options.priceRoute
          : typeof options.price === "bigint"
            ? c.req.routePath
            : undefined;
      if (route === undefined) return {};
      let header = byRoute.get(route);
      if (!header) {
        // Hono's route syntax beyond what the header carries (a regular expression, an optional parameter): none.
        header = isPriceRoute(route) ? encodePriceRouteHeader(route) : {};
        byRoute.set(route, header);
      }
      return header;
    },
  };
}

/**
 * Whether `work` settled within `ms`; its error, if it failed in time. A failure after that is dropped. (One promise
 * and one timer: it runs on every paid request.)
 */
export function finishesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(false), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Paid content is for the reader who paid: `private` keeps it out of shared caches whatever the handler said; a
 * handler's `no-store` (stricter) is kept. `Last-Modified` is when it was paid (the handler's own is replaced): the
 * reader's browser revalidates its copy with it on a reload, and gets a 304 while the copy is within the paid max-age
 * (see paidCopyFreshFor), so a reload neither pays again nor loses the copy.
 */
export function setPaidCaching(headers: Headers, value: string) {
  if (/(^|[\s,])no-store([\s,]|$)/i.test(headers.get("cache-control") ?? "")) return;
  headers.set("cache-control", value);
  headers.set("last-modified", new Date().toUTCString());
}

/**
 * The seconds of freshness left to the reader's copy of this page when an unpaid request revalidates one paid less
 * than `paidMaxAge` seconds ago (its `If-Modified-Since` is the paid answer's Last-Modified: when it was paid), which
 * a browser does on a reload; undefined otherwise. Such a request is answered 304 Not Modified, with no body and no
 * charge: the browser shows the copy it holds and keeps it, as it would have without asking within that max-age. A
 * client that holds no copy gets nothing from it.
 */
function paidCopyFreshFor(c: Context, paidMaxAge: number): number | undefined {
  const since = c.req.header("if-modified-since");
  if (since === undefined || paidMaxAge <= 0) return undefined;
  const paidAt = Date.parse(since);
  if (Number.isNaN(paidAt)) return undefined;
  const age = Math.floor((Date.now() - paidAt) / 1000);
  // A few seconds "ahead" is another receiver's clock (several share one database), not a forged date.
  if (age < -maxClockSkewSeconds || age >= paidMaxAge) return undefined;
  return paidMaxAge - Math.max(age, 0);
}

/** How far another receiver's clock may run ahead of this one's for a copy it stamped (see paidCopyFreshFor). */
const maxClockSkewSeconds = 5;

/** `METHOD /path?query`: what a payment paid for, so a retry with the same proof is recognized as the same request. */
export function requestKey(c: Context): string {
  const url = c.req.url;
  return `${c.req.method} ${url.slice(url.indexOf("/", url.indexOf("//") + 2))}`;
}

/**
 * Calls `delivered` once the paid response went out in full. On Node (`@hono/node-server`) that is the response's
 * `finish`; elsewhere (tests with `app.request`, other runtimes) it is the body having been read to its end.
 */
function whenDelivered(c: Context, delivered: () => void) {
  const outgoing: unknown = Reflect.get(c.env ?? {}, "outgoing");
  if (outgoing instanceof EventEmitter) {
    outgoing.once("finish", delivered);
    return;
  }
  const body = c.res.body;
  if (!body) {
    delivered();
    return;
  }
  const reader = body.getReader();
  const tracked = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        delivered();
      } else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  c.res = new Response(tracked, c.res);
}

/** Whether the request is a navigation preload from a payment worker that pays announced routes first. */
function paysFirst(c: Context): boolean {
  return paysFirstPreload(c.req.header(navigationPreload.header));
}

/**
 * The payment a payment worker put in its navigation preload header for its reader's next click on a page of this
 * price (`rdn-pays-first; price=…; rdn-…=…`, codec in the protocol's preloadPayment.ts), when it can pay for this
 * request: undefined when there is none, it is malformed, it is for another price (the worker pays such a page the
 * usual way: a wrong guess costs a round trip, never money), or the request is a reload (the reader's browser or
 * worker may hold the page paid already: its worker decides).
 */
function preloadPaymentFor(c: Context, price: bigint): Payment | undefined {
  if (reloads(c)) return undefined;
  try {
    const preloaded = decodePreloadPaymentHeader(c.req.header(navigationPreload.header));
    return preloaded?.price === price ? preloaded.payment : undefined;
  } catch (error) {
    if (error instanceof MalformedHeaderError) return undefined;
    throw error;
  }
}

/** Whether a navigation is a reload: browsers ask their caches to revalidate (`max-age=0`) or not to be used. */
function reloads(c: Context): boolean {
  const cacheControl = c.req.header("cache-control")?.toLowerCase() ?? "";
  return /(^|[\s,])(max-age=0|no-cache)([\s,]|$)/.test(cacheControl) || c.req.header("pragma") === "no-cache";
}

function prefersHtml(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  return accept.includes("text/html");
}
