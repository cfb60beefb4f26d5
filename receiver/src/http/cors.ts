import { headerNames } from "@micro-raiden/web-client/protocol";
import type { MiddlewareHandler } from "hono";

export type CorsOptions = {
  /** Origins (`https://site.example`, scheme + host + port, no path) whose pages may call this receiver. */
  allowedOrigins: readonly string[];
  /** How long a browser may reuse a preflight answer, in seconds (default 600). */
  maxAge?: number | undefined;
};

// Every RDN- header: a paid request sends the payment ones, the script must read the requirements, the echo and
// the failure reason from a 402 or a paid answer. Content-Type is for the close request's JSON body.
const rdnHeaders = Object.values(headerNames).join(", ");
const allowedRequestHeaders = `${rdnHeaders}, Content-Type`;
const allowedMethods = "GET, HEAD, POST, DELETE";

/**
 * CORS for content sites on other origins that sell the receiver's paid fragments (the widget's
 * `data-micro-raiden-src`): a listed origin may send the `RDN-*` payment headers and read the `RDN-*` answer
 * headers. An unlisted origin gets no CORS header at all, so its pages cannot read anything. Credentials are never
 * allowed: payments travel in headers, and no cookie or HTTP auth of the reader's must ride along.
 *
 * @example
 * import { Hono } from "hono";
 * import { cors } from "@micro-raiden/receiver";
 * const app = new Hono();
 * app.use(cors({ allowedOrigins: ["https://blog.example"] }));
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedOrigins.map(checkOrigin));
  const maxAge = String(options.maxAge ?? 600);
  return async function corsMiddleware(c, next) {
    const origin = c.req.header("origin");
    if (origin === undefined || !allowed.has(origin)) {
      await next();
      // The answer differs by Origin: a shared cache must not hand one origin's answer to another.
      if (allowed.size > 0) c.header("Vary", "Origin", { append: true });
      return;
    }
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      return c.body(null, 204, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": allowedMethods,
        "Access-Control-Allow-Headers": allowedRequestHeaders,
        "Access-Control-Max-Age": maxAge,
        Vary: "Origin",
      });
    }
    await next();
    // c.header copies a finished response first: a proxied upstream's headers are immutable.
    c.header("Access-Control-Allow-Origin", origin);
    c.header("Access-Control-Expose-Headers", rdnHeaders);
    c.header("Vary", "Origin", { append: true });
  };
}

/** An allowed origin must be exactly what browsers send in `Origin`: a wildcard or a URL with a path never matches. */
function checkOrigin(origin: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.origin !== origin || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new Error(`cors: "${origin}" is not an origin (write it as scheme://host[:port], no path, no wildcard).`);
  }
  return origin;
}
