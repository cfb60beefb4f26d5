// The app a receiver serves: every 4xx has the protocol's JSON error body (also outside /api/1), the operator's
// Bearer scheme is case-insensitive, and the paid upstream keeps the upstream's headers and answers a dead
// upstream with a JSON 502.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { decodeErrorBody, type ErrorCode, headerNames } from "@micro-raiden/web-client/protocol";
import { receiverApp } from "./receiverApp.ts";
import { createTestReceiver } from "./testReceiver.test-helper.ts";

async function expectError(response: Response, status: number, code: ErrorCode) {
  assert.equal(response.status, status);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(decodeErrorBody(await response.json()).error.code, code);
}

describe("receiverApp: errors are JSON everywhere", () => {
  const t = createTestReceiver();

  it("answers unknown paths and methods outside /api/1 with a JSON 404", async () => {
    await expectError(await t.app.request("/nope"), 404, "not_found");
    await expectError(await t.app.request("/articles/1/extra"), 404, "not_found");
    await expectError(await t.app.request("/articles/1", { method: "POST" }), 404, "not_found");
    await expectError(await t.app.request("/free", { method: "DELETE" }), 404, "not_found");
  });

  it("answers unknown API endpoints and methods with a JSON 404", async () => {
    await expectError(await t.app.request("/api/1/nope"), 404, "not_found");
    await expectError(await t.app.request("/api/1/stats", { method: "PUT" }), 404, "not_found");
    await expectError(await t.app.request("/api/2/stats"), 404, "not_found");
  });
});

describe("receiverApp: operator credentials", () => {
  const t = createTestReceiver();

  it("takes the Bearer scheme in any case (RFC 7235)", async () => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      const response = await t.app.request("/api/1/channels", {
        headers: { authorization: `${scheme} ${t.operatorToken}` },
      });
      assert.equal(response.status, 200, scheme);
    }
  });

  it("still refuses another scheme, a wrong token, or no token", async () => {
    for (const authorization of [`Basic ${t.operatorToken}`, "Bearer wrong-token-wrong-token", "Bearer", ""]) {
      await expectError(await t.app.request("/api/1/channels", { headers: { authorization } }), 401, "unauthorized");
    }
  });
});

describe("receiverApp: the paid upstream", () => {
  let upstream: Server;
  let upstreamUrl: string;
  const seen: { url: string | undefined; headers: Record<string, unknown> }[] = [];

  before(async () => {
    upstream = createServer((request, response) => {
      seen.push({ url: request.url, headers: request.headers });
      response.writeHead(201, { "content-type": "text/csv", "x-upstream": "kept", "cache-control": "private" });
      response.end("a,b\n1,2\n");
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => upstream.close(resolve)));

  it("charges, then answers with the upstream's status, headers and body; the upstream never sees the payment", async () => {
    const t = createTestReceiver();
    const price = 1000n;
    const app = receiverApp({ receiver: t.receiver, upstream: { url: upstreamUrl, price } });
    const unpaid = await app.request("/proxy/data.csv?x=1");
    assert.equal(unpaid.status, 402);
    assert.equal(seen.length, 0, "nothing reaches the upstream unpaid");

    const channel = t.openChannel();
    const paid = await app.request("/proxy/data.csv?x=1", {
      headers: { ...t.paymentHeaders(await t.sign(channel, price)), "x-client": "passed on" },
    });
    assert.equal(paid.status, 201);
    assert.equal(paid.headers.get("content-type"), "text/csv");
    assert.equal(paid.headers.get("x-upstream"), "kept");
    assert.equal(paid.headers.get(headerNames.senderBalance), price.toString());
    assert.equal(await paid.text(), "a,b\n1,2\n");
    assert.equal(seen[0]?.url, "/data.csv?x=1");
    assert.equal(seen[0]?.headers["x-client"], "passed on");
    for (const name of Object.values(headerNames)) assert.equal(seen[0]?.headers[name.toLowerCase()], undefined);
  });

  it("answers a dead upstream with a JSON 502 and charges nothing", async () => {
    const t = createTestReceiver();
    const app = receiverApp({ receiver: t.receiver, upstream: { url: "http://127.0.0.1:1", price: 1000n } });
    const channel = t.openChannel();
    const response = await app.request("/proxy/x", { headers: t.paymentHeaders(await t.sign(channel, 1000n)) });
    await expectError(response, 502, "upstream_unavailable");
    assert.equal(t.storedProof(channel), undefined);
  });
});
