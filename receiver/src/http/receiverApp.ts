import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
import { type Context, Hono } from "hono";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Receiver } from "../Receiver.ts";
import { channelStatusBar } from "./channelStatusBar.ts";
import { closeOnErrorWithBody } from "./closeOnErrorWithBody.ts";
import { cors } from "./cors.ts";
import { healthRoutes } from "./healthRoutes.ts";
import { operatorDashboard } from "./operatorDashboard.ts";
import { type PaywallOptions, paywall } from "./paywall.ts";
import { receiverApi } from "./receiverApi.ts";
import { assetPaths, staticAssets } from "./staticAssets.ts";
import { upstreamProxy } from "./upstreamProxy.ts";

/**
 * What `routes` gets: the receiver, and `paywall` and `channelStatusBar` with this app's defaults (the paywall
 * script) filled in.
 */
export type ReceiverRoutesContext = {
  receiver: Receiver;
  /**
   * URL of the paywall script, for a site's own pages that load the widget (undefined: none). With
   * `paywallScriptFile` this is the stable `/micro-raiden/paywall.js` (cached five minutes): the content-hashed URL
   * changes with every rebuild, which routes set up once cannot follow; the 402 page and `channelStatusBar(c)` load
   * the hashed one.
   */
  paywallScript: string | undefined;
  paywall: (options: Omit<PaywallOptions, "receiver">) => ReturnType<typeof paywall>;
  /**
   * For a handler behind `paywall`: the reader's channel status bar for its page (the element with the requirements
   * this request was charged for, and this app's paywall script), to put in the page's HTML.
   */
  channelStatusBar: (c: Context) => HtmlEscapedString;
};

export type ReceiverAppOptions = {
  receiver: Receiver;
  /** Bearer token for the operator endpoints; without it they answer 401. */
  operatorToken?: string | undefined;
  /** Serve this upstream under `/proxy/` for `price` per request (µRaiden's proxied resource). */
  upstream?: { url: string; price: bigint } | undefined;
  /**
   * URL of the paywall script the 402 page loads (the widget bundle). Default when `paywallScriptFile` is given: the
   * served file's content-hashed URL, `/micro-raiden/paywall.<hash>.js`.
   */
  paywallScript?: string | undefined;
  /**
   * The widget's built script-tag file, served at `/micro-raiden/paywall.<hash>.js` (cached for a year) and at
   * `/micro-raiden/paywall.js` (five minutes).
   */
  paywallScriptFile?: string | undefined;
  /** The widget's built Service Worker file, served at `/micro-raiden-sw.js` (scope `/`) for paid navigation. */
  serviceWorkerFile?: string | undefined;
  /** Seconds a reader's browser may keep a paid page (`Cache-Control: private, max-age`; default 300). */
  paidMaxAge?: number | undefined;
  /** The most a page of this site costs, declared to readers' paywalls (see `PaywallOptions.autoPayMaxPrice`). */
  autoPayMaxPrice?: bigint | undefined;
  /**
   * Origins of content sites whose pages may pay for and read this receiver's resources (the widget's paid
   * fragments), e.g. `["https://blog.example"]`. None by default: no CORS headers at all.
   */
  corsOrigins?: readonly string[] | undefined;
  /** Adds the site's own (free and paid) routes. */
  routes?: ((app: Hono, context: ReceiverRoutesContext) => void) | undefined;
};

/**
 * A Hono app with the receiver's REST API at its gateway path, the site's routes, an optional paid upstream under
 * `/proxy/`, and a JSON `{ error: { code, message } }` 404 for everything else. No port: serve it with
 * `@hono/node-server`, test it with `app.request`.
 *
 * @example
 * import { receiverApp } from "@micro-raiden/receiver";
 * const app = receiverApp({
 *   receiver,
 *   routes: (app, { paywall }) => app.get("/report", paywall({ price: 10n ** 15n }), (c) => c.text("paid")),
 * });
 */
export function receiverApp(options: ReceiverAppOptions): Hono {
  const { receiver } = options;
  const app = new Hono();
  app.use(closeOnErrorWithBody());
  if (options.corsOrigins?.length) app.use(cors({ allowedOrigins: options.corsOrigins }));
  const assets = staticAssets(options);
  const paywallScript = options.paywallScript ?? (options.paywallScriptFile ? assetPaths.paywallScript : undefined);
  // The 402 page checks the file and names its current hash. The status bar is rendered synchronously by a paid
  // handler, so it takes the version last read: right after a rebuild that may be the previous hash, which the
  // assets redirect to the current one.
  const scriptFor402 = options.paywallScript ?? (options.paywallScriptFile ? assets.paywallScriptUrl : undefined);
  const scriptForBar = () => options.paywallScript ?? assets.latestPaywallScriptUrl();
  const bound: ReceiverRoutesContext["paywall"] = (paywallOptions) =>
    paywall({
      paywallScript: scriptFor402,
      paidMaxAge: options.paidMaxAge,
      autoPayMaxPrice: options.autoPayMaxPrice,
      ...paywallOptions,
      receiver,
    });
  app.route("/", healthRoutes({ receiver }));
  app.route("/", assets);
  app.route(receiver.gatewayPath, receiverApi({ receiver, operatorToken: options.operatorToken }));
  // The dashboard's page holds no data (that needs the token), but without a token there is nothing to sign in to.
  if (options.operatorToken) app.route("/", operatorDashboard({ gatewayPath: receiver.gatewayPath }));
  options.routes?.(app, {
    receiver,
    paywallScript,
    paywall: bound,
    channelStatusBar: (c) => channelStatusBar(c, { paywallScript: scriptForBar() }),
  });
  if (options.upstream) {
    app.all(
      "/proxy/*",
      bound({ price: options.upstream.price }),
      upstreamProxy({ upstream: options.upstream.url, prefix: "/proxy", timeoutMs: receiver.requestTimeoutMs }),
    );
  }
  // Unknown paths and methods a route does not take: the protocol promises a JSON body on every 4xx.
  app.notFound((c) =>
    c.json(encodeErrorBody("not_found", `No ${c.req.method} ${new URL(c.req.url).pathname} here.`), 404),
  );
  return app;
}
