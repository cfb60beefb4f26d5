import { encodeErrorBody, headerNames } from "@micro-raiden/web-client/protocol";
import type { Handler } from "hono";
import { proxy } from "hono/proxy";
import { defaultRequestTimeoutMs } from "../receiver/createReceiverCore.ts";

/** Request headers the upstream never sees: the sender's payment is the receiver's business, not the upstream's. */
const privateHeaders = [
  ...new Set(Object.values(headerNames).map((name) => name.toLowerCase())),
  "authorization",
  "host",
];

export type UpstreamProxyOptions = {
  upstream: string;
  /** Taken off the request's path before it goes upstream (e.g. `/proxy`). */
  prefix?: string | undefined;
  /**
   * How long the upstream may take to start its answer, in ms (default 30 000, as the receiver's request timeout);
   * then its request is given up and the answer is a JSON 504. A body that has started streaming is not cut off.
   */
  timeoutMs?: number | undefined;
};

/**
 * A handler that answers with `upstream`'s response for the same path (minus `prefix`) and query: status, headers
 * and body as the upstream sent them (µRaiden's proxied resource). Put `paywall()` in front of it to charge. An
 * upstream that cannot be reached is a JSON 502, one that does not answer in time a JSON 504 (neither is charged).
 *
 * @example
 * import { paywall, upstreamProxy } from "@micro-raiden/receiver";
 * app.all("/proxy/*", paywall({ receiver, price: 10n ** 15n }), upstreamProxy({ upstream: "http://127.0.0.1:8080", prefix: "/proxy" }));
 */
export function upstreamProxy(options: UpstreamProxyOptions): Handler {
  const timeoutMs = options.timeoutMs ?? defaultRequestTimeoutMs;
  const upstream = new URL(options.upstream);
  const base = upstream.href.replace(/\/$/, "");
  const prefix = options.prefix?.replace(/\/$/, "") ?? "";
  return async function upstreamProxyHandler(c) {
    const { pathname, search } = new URL(c.req.url);
    const path = prefix && pathname.startsWith(prefix) ? pathname.slice(prefix.length) || "/" : pathname;
    const headers = new Headers(c.req.raw.headers);
    for (const name of privateHeaders) headers.delete(name);
    const late = new AbortController();
    const timer = setTimeout(() => late.abort(), timeoutMs);
    try {
      return await proxy(`${base}${path}${search}`, {
        method: c.req.method,
        headers,
        signal: late.signal,
        ...(c.req.method === "GET" || c.req.method === "HEAD" ? {} : { body: c.req.raw.body, duplex: "half" }),
      });
    } catch {
      if (late.signal.aborted) {
        const message = `The upstream ${upstream.origin} did not answer within ${timeoutMs} ms.`;
        return c.json(encodeErrorBody("upstream_unavailable", message), 504);
      }
      return c.json(encodeErrorBody("upstream_unavailable", `The upstream ${upstream.origin} did not answer.`), 502);
    } finally {
      clearTimeout(timer);
    }
  };
}
