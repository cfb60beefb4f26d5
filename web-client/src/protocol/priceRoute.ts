// The RDN-Price-Route header: the receiver's announcement, on a 402 or a paid answer, that every page whose path
// matches a route costs the price it names, so a client holding a channel may pay such a page with its first request.
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { HeaderReader } from "./paymentHeaders.ts";

const header = headerNames.priceRoute;

/** Longest route the header carries. */
export const maxPriceRouteLength = 256;

// A path of segments: a literal (unreserved URL characters), a `:name` parameter (one non-empty segment) or a final
// `*` (the rest of the path, possibly empty). The subset of Hono's and URLPattern's route syntax both read the same.
const segment = "(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*)";
const routePattern = new RegExp(String.raw`^(?:/${segment})*(?:/\*|/)?$`);

/** Whether `route` is a route the header can carry (see `decodePriceRouteHeader`). */
export function isPriceRoute(route: string): boolean {
  return route.length > 0 && route.length <= maxPriceRouteLength && routePattern.test(route);
}

/**
 * The header announcing that every path matching `route` costs the answer's `RDN-Price`.
 *
 * @example
 * import { encodePriceRouteHeader } from "@micro-raiden/web-client/protocol";
 * const headers = { ...encodePaymentResponseHeaders({ requirements }), ...encodePriceRouteHeader("/articles/:id") };
 */
export function encodePriceRouteHeader(route: string): Record<string, string> {
  if (!isPriceRoute(route)) throw new MalformedHeaderError({ header, reason: `"${route}" is not a price route` });
  return { [header]: route };
}

/**
 * The route an answer announces its price for, or undefined when it announces none. A route is an absolute path of
 * literal segments, `:name` parameters (one segment each) and an optional final `*` (any rest), at most 256
 * characters: `/articles/:id`, `/premium/*`. Throws MalformedHeaderError for anything else.
 *
 * @example
 * import { decodePriceRouteHeader, matchesPriceRoute } from "@micro-raiden/web-client/protocol";
 * const route = decodePriceRouteHeader(response.headers); // "/articles/:id"
 * matchesPriceRoute(route, "/articles/7"); // true
 */
export function decodePriceRouteHeader(headers: HeaderReader): string | undefined {
  const value = headers.get(header);
  if (value === null) return undefined;
  if (value.length > maxPriceRouteLength) {
    throw new MalformedHeaderError({ header, reason: `longer than ${maxPriceRouteLength} characters` });
  }
  if (!isPriceRoute(value)) throw new MalformedHeaderError({ header, reason: `"${value}" is not a price route` });
  return value;
}

/** Whether the URL path `pathname` falls under `route` (a route `decodePriceRouteHeader` accepts). */
export function matchesPriceRoute(route: string, pathname: string): boolean {
  const wanted = route.split("/");
  const got = pathname.split("/");
  for (let i = 0; i < wanted.length; i++) {
    const part = wanted[i] ?? "";
    if (part === "*" && i === wanted.length - 1) return true;
    const actual = got[i];
    if (actual === undefined) return false;
    if (part.startsWith(":")) {
      if (actual === "") return false;
    } else if (part !== actual) {
      return false;
    }
  }
  return got.length === wanted.length;
}
