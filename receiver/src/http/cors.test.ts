// CORS for paid fragments: a listed content site may pay with the RDN- headers and read the RDN- answers; any other
// origin gets no CORS header at all (so its pages can read nothing), and credentials are never allowed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodePaymentResponseHeaders, headerNames } from "@micro-raiden/web-client/protocol";
import { cors } from "./cors.ts";
import { receiverApp } from "./receiverApp.ts";
import { articlePrice, createTestReceiver, testRoutes } from "./testReceiver.test-helper.ts";

const site = "https://blog.example";
const rdnHeaders = Object.values(headerNames);
const corsHeaderNames = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

function setUp() {
  const t = createTestReceiver();
  const app = receiverApp({ receiver: t.receiver, routes: testRoutes, corsOrigins: [site] });
  return { t, app };
}

describe("cors: a listed content site", () => {
  it("may preflight a paid request with every RDN- header, without credentials", async () => {
    const { app } = setUp();
    const response = await app.request("/articles/1", {
      method: "OPTIONS",
      headers: {
        origin: site,
        "access-control-request-method": "GET",
        "access-control-request-headers": rdnHeaders.join(","),
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), site);
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const name of rdnHeaders) assert.ok(allowed.includes(name.toLowerCase()), `${name} is allowed`);
    assert.match(response.headers.get("access-control-allow-methods") ?? "", /\bGET\b/);
    assert.equal(response.headers.get("access-control-allow-credentials"), null);
    assert.match(response.headers.get("vary") ?? "", /Origin/);
  });

  it("reads the 402's requirements: the RDN- response headers are exposed", async () => {
    const { app, t } = setUp();
    const response = await app.request("/articles/1", { headers: { origin: site } });
    assert.equal(response.status, 402);
    assert.equal(response.headers.get("access-control-allow-origin"), site);
    const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const name of rdnHeaders) assert.ok(exposed.includes(name.toLowerCase()), `${name} is exposed`);
    const { requirements } = decodePaymentResponseHeaders(response.headers);
    assert.equal(requirements.price, articlePrice);
    assert.equal(requirements.receiver, t.receiver.address);
    assert.equal(response.headers.get("access-control-allow-credentials"), null);
  });

  it("pays across origins and reads the paid answer's balance echo", async () => {
    const { app, t } = setUp();
    const channel = t.openChannel();
    const payment = await t.sign(channel, articlePrice);
    const response = await app.request("/articles/1", { headers: { origin: site, ...t.paymentHeaders(payment) } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("access-control-allow-origin"), site);
    assert.match(response.headers.get("access-control-expose-headers") ?? "", new RegExp(headerNames.senderBalance));
    assert.equal(decodePaymentResponseHeaders(response.headers).echo?.balance, articlePrice);
  });
});

describe("cors: anyone else", () => {
  it("an unlisted origin gets no CORS header, on a preflight or a request", async () => {
    const { app } = setUp();
    for (const origin of ["https://evil.example", "https://blog.example.evil.example", "null", "http://blog.example"]) {
      const preflight = await app.request("/articles/1", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "rdn-balance" },
      });
      assert.deepEqual(corsHeaderNames(preflight), [], `preflight from ${origin}`);
      assert.notEqual(preflight.status, 204);
      const request = await app.request("/articles/1", { headers: { origin } });
      assert.equal(request.status, 402);
      assert.deepEqual(corsHeaderNames(request), [], `request from ${origin}`);
      // Caches must still know the answer depends on Origin.
      assert.match(request.headers.get("vary") ?? "", /Origin/);
    }
  });

  it("without the option, the receiver sends no CORS header to anyone", async () => {
    const t = createTestReceiver();
    const preflight = await t.app.request("/articles/1", {
      method: "OPTIONS",
      headers: { origin: site, "access-control-request-method": "GET" },
    });
    assert.deepEqual(corsHeaderNames(preflight), []);
    assert.deepEqual(corsHeaderNames(await t.app.request("/articles/1", { headers: { origin: site } })), []);
  });

  it("refuses to be configured with a wildcard or something that is not an origin", () => {
    for (const origin of [
      "*",
      "https://blog.example/",
      "https://blog.example/path",
      "blog.example",
      "null",
      "file:///x",
    ]) {
      assert.throws(() => cors({ allowedOrigins: [origin] }), /is not an origin/, origin);
    }
  });
});
