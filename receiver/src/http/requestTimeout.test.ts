// A paid request whose handler or upstream never answers: it gets a 504 in the protocol's error format once the
// receiver's request timeout has passed, is not charged, and gives its channel back — to the reader's next payment
// and to the reader's close, which never waits on it for longer.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import {
  apiPrefix,
  channelPath,
  decodeCloseResponseBody,
  decodeErrorBody,
  encodeCloseRequestBody,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { paywall } from "./paywall.ts";
import { articlePrice, createTestReceiver, type TestChannel, type TestReceiver } from "./testReceiver.test-helper.ts";
import { upstreamProxy } from "./upstreamProxy.ts";

const price = articlePrice;
/** Short, so the tests are quick: the receiver's default is 30 s. */
const requestTimeoutMs = 300;
/** A test that would wait forever without the timeout fails instead. */
const guard = { timeout: 5_000 };

/** A receiver whose `/hang` is a paid route with a handler that never answers; `started` resolves when it runs. */
function hangingSite() {
  const t = createTestReceiver({ requestTimeoutMs });
  let started = () => {};
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const app = new Hono();
  app.route("/", t.app);
  app.get("/hang", paywall({ receiver: t.receiver, price }), () => {
    started();
    return new Promise<Response>(() => {});
  });
  return { t, app, running };
}

async function expectTimedOut(response: Response, message = /nothing was charged/) {
  assert.equal(response.status, 504);
  const { error } = decodeErrorBody(await response.json());
  assert.equal(error.code, "upstream_unavailable");
  assert.match(error.message, message);
}

async function closeRequest(t: TestReceiver, channel: TestChannel, balance: bigint) {
  const proof = await t.sign(channel, balance);
  return t.app.request(`${apiPrefix}${channelPath(proof)}`, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(encodeCloseRequestBody(await t.closeRequestBody(channel, balance, proof.signature))),
  });
}

describe("request timeout", () => {
  it(
    "a handler that never answers gets a 504, is not charged, and the channel takes the next payment",
    guard,
    async () => {
      const { t, app } = hangingSite();
      const channel = t.openChannel();
      const payment = await t.sign(channel, price);
      await expectTimedOut(await app.request("/hang", { headers: t.paymentHeaders(payment) }));
      assert.equal(t.storedProof(channel), undefined, "nothing charged");
      // The same balance pays for the next page: the one that hung cost nothing.
      assert.equal((await t.pay("/articles/1", payment)).status, 200);
      assert.equal(t.storedProof(channel)?.balance, price);
    },
  );

  it(
    "the reader's close does not wait on a stuck request: it gets the signature at the balance before it",
    guard,
    async () => {
      const { t, app, running } = hangingSite();
      const channel = t.openChannel();
      assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
      const stuck = app.request("/hang", { headers: t.paymentHeaders(await t.sign(channel, 2n * price)) });
      await running;
      const closed = await closeRequest(t, channel, price);
      assert.equal(closed.status, 200);
      assert.match(decodeCloseResponseBody(await closed.json()).closeSignature, /^0x/);
      await expectTimedOut(await stuck);
      assert.equal(t.storedProof(channel)?.balance, price, "the stuck request was not charged");
    },
  );

  it("a payment waiting behind a channel that stays held gets a 504 instead of waiting forever", guard, async () => {
    const t = createTestReceiver({ requestTimeoutMs });
    const channel = t.openChannel();
    // Site code holding a payment it never settles nor releases.
    const held = await t.receiver.acceptPayment(await t.sign(channel, price), price, "GET /elsewhere");
    assert.equal(held.kind, "accepted");
    await expectTimedOut(await t.signAndPay("/articles/1", channel, price));
    assert.equal(t.storedProof(channel), undefined);
    const close = await closeRequest(t, channel, 0n);
    assert.equal(close.status, 409, "the close says the channel is busy instead of waiting forever");
    assert.equal(decodeErrorBody(await close.json()).error.code, "conflict");
  });
});

describe("request timeout: the paid upstream", () => {
  const hits: IncomingMessage[] = [];
  const silent = createServer((request) => {
    hits.push(request);
  });
  after(() => {
    silent.closeAllConnections();
    silent.close();
  });

  it("an upstream that never answers is a 504, its request is aborted, and nothing is charged", guard, async () => {
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const upstream = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const t = createTestReceiver({ requestTimeoutMs });
    const app = new Hono();
    app.all(
      "/proxy/*",
      paywall({ receiver: t.receiver, price }),
      upstreamProxy({ upstream, prefix: "/proxy", timeoutMs: requestTimeoutMs / 2 }),
    );
    const channel = t.openChannel();
    const answer = await app.request("/proxy/slow", { headers: t.paymentHeaders(await t.sign(channel, price)) });
    await expectTimedOut(answer, /did not answer within/);
    assert.equal(t.storedProof(channel), undefined);
    const [hit] = hits;
    assert.equal(hit?.url, "/slow");
    if (!hit?.socket.destroyed) await new Promise((resolve) => hit?.socket.once("close", resolve));
    assert.equal(hit?.socket.destroyed, true, "the upstream request was given up");
  });
});
