import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { decodePriceRouteHeader, encodePriceRouteHeader, isPriceRoute, matchesPriceRoute } from "./priceRoute.ts";

const headersOf = (value: string) => new Headers({ [headerNames.priceRoute]: value });

describe("RDN-Price-Route", () => {
  it("round-trips the routes a paywall announces", () => {
    for (const route of ["/articles/:id", "/premium/*", "/magazine/:year/:slug", "/", "/a.b~c_d-e/:x/*"]) {
      assert.equal(decodePriceRouteHeader(new Headers(encodePriceRouteHeader(route))), route);
    }
    assert.equal(decodePriceRouteHeader(new Headers()), undefined);
  });

  it("refuses what is not a route: no host, no query, no regular expression, no wildcard but at the end", () => {
    const bad = [
      "articles/:id",
      "https://example.com/articles/:id",
      "/articles/:id?x=1",
      "/articles/:id{[0-9]+}",
      "/articles/:id([0-9]+)",
      "/*/secret",
      "/a, /b",
      "/a//b",
      "/:",
      `/${"a".repeat(300)}`,
      "",
    ];
    for (const value of bad) {
      assert.equal(isPriceRoute(value), false, value);
      assert.throws(() => decodePriceRouteHeader(headersOf(value)), MalformedHeaderError, value);
      assert.throws(() => encodePriceRouteHeader(value), MalformedHeaderError, value);
    }
  });

  it("matches a path segment by segment: a parameter takes one non-empty segment, a final * any rest", () => {
    const cases: [string, string, boolean][] = [
      ["/articles/:id", "/articles/7", true],
      ["/articles/:id", "/articles/", false],
      ["/articles/:id", "/articles", false],
      ["/articles/:id", "/articles/7/comments", false],
      ["/articles/:id", "/article/7", false],
      ["/premium/*", "/premium/", true],
      ["/premium/*", "/premium/a/b/c", true],
      ["/premium/*", "/premiums/a", false],
      ["/magazine/:year/:slug", "/magazine/2026/x", true],
      ["/", "/", true],
      ["/", "/x", false],
    ];
    for (const [route, path, expected] of cases)
      assert.equal(matchesPriceRoute(route, path), expected, `${route} ${path}`);
  });
});
