// Paying first (issue: a paid page as fast as a free one): the receiver announces the price of a route, takes a
// payment sent before its 402 when the price is right, refuses it at once with the right price when it is not, and
// ignores a proof sent to a free page.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeErrorBody,
  decodePaymentResponseHeaders,
  decodePriceRouteHeader,
  encodePreloadPaymentHeader,
  headerNames,
  navigationPreload,
  type Payment,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { paywall } from "./paywall.ts";
import { createTestReceiver, decodeFailure, articlePrice as price, token } from "./testReceiver.test-helper.ts";

describe("paywall: the price a route announces (RDN-Price-Route)", () => {
  const t = createTestReceiver();

  it("announces a fixed price's Hono route on the 402, the refusal and the paid answer of a GET", async () => {
    const unpaid = await t.app.request("/fixed/1");
    assert.equal(unpaid.status, 402);
    assert.equal(decodePriceRouteHeader(unpaid.headers), "/fixed/:id");
    const channel = t.openChannel();
    const paid = await t.signAndPay("/fixed/1", channel, price);
    assert.equal(paid.status, 200);
    assert.equal(decodePriceRouteHeader(paid.headers), "/fixed/:id");
    const refused = await t.signAndPay("/fixed/2", channel, 3n * price);
    assert.equal(refused.status, 402);
    assert.equal(decodePriceRouteHeader(refused.headers), "/fixed/:id");
  });

  it("announces nothing for a price computed per request, unless the site names the route; nothing with false", async () => {
    assert.equal((await t.app.request("/articles/1")).headers.get(headerNames.priceRoute), null);
    const site = new Hono();
    const fixed = (c: { text: (s: string) => Response }) => c.text("paid");
    site.get("/named/:id", paywall({ receiver: t.receiver, price: () => price, priceRoute: "/named/*" }), fixed);
    site.get("/off/:id", paywall({ receiver: t.receiver, price, priceRoute: false }), fixed);
    // Hono's own syntax beyond what the header carries (a regular expression) announces nothing.
    site.get("/regex/:id{[0-9]+}", paywall({ receiver: t.receiver, price }), fixed);
    site.post("/posted/:id", paywall({ receiver: t.receiver, price }), fixed);
    assert.equal(decodePriceRouteHeader((await site.request("/named/1")).headers), "/named/*");
    assert.equal((await site.request("/off/1")).headers.get(headerNames.priceRoute), null);
    assert.equal((await site.request("/regex/1")).headers.get(headerNames.priceRoute), null);
    assert.equal((await site.request("/posted/1", { method: "POST" })).headers.get(headerNames.priceRoute), null);
    assert.throws(() => paywall({ receiver: t.receiver, price, priceRoute: "/a/:id{[0-9]+}" }), /priceRoute/);
  });
});

describe("paywall: a payment that says which price it paid (RDN-Price)", () => {
  // A payment above the expected balance waits this long for a predecessor: a refusal that comes back at all was
  // not taken for one.
  const t = createTestReceiver({ reorderWindowMs: 10 * 60_000 });

  it("takes it when the price is the page's", async () => {
    const channel = t.openChannel();
    const response = await t.pay("/fixed/1", await t.sign(channel, price), { [headerNames.price]: String(price) });
    assert.equal(response.status, 200);
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses another price at once with the right one and the stored balance, charging nothing", {
    timeout: 60_000,
  }, async () => {
    const channel = t.openChannel();
    const first = await t.sign(channel, price);
    assert.equal((await t.pay("/fixed/1", first)).status, 200);
    // A guess above the price: without the stated price, this balance would wait for a predecessor.
    const dearer = 3n * price;
    const refused = await t.pay("/fixed/2", await t.sign(channel, price + dearer), {
      [headerNames.price]: String(dearer),
    });
    const { failure, echo, body } = await decodeFailure(refused);
    assert.equal(refused.status, 402);
    assert.equal(body.error.code, "invalid_amount");
    assert.equal(failure?.code, "invalid_amount");
    assert.deepEqual(echo, { sender: channel.sender.address, balance: price, signature: first.signature });
    assert.equal(decodePaymentResponseHeaders(refused.headers).requirements.price, price);
    assert.equal(t.storedProof(channel)?.balance, price);
    // The right price then goes through.
    assert.equal((await t.signAndPay("/fixed/2", channel, 2n * price)).status, 200);
  });

  it("shows no echo to a payment whose signature is not the sender's, whatever price it states", async () => {
    const channel = t.openChannel();
    assert.equal((await t.signAndPay("/fixed/1", channel, price)).status, 200);
    const stranger = t.openChannel();
    const forged = {
      ...(await t.sign(stranger, 5n * price)),
      sender: channel.sender.address,
      openBlock: channel.openBlock,
    };
    const refused = await t.pay("/fixed/2", forged, { [headerNames.price]: String(4n * price) });
    assert.equal(refused.status, 402);
    assert.equal((await decodeFailure(refused)).echo, undefined);
  });

  it("answers 400 to a malformed stated price, charging nothing", async () => {
    const channel = t.openChannel();
    const response = await t.pay("/fixed/1", await t.sign(channel, price), { [headerNames.price]: "1e18" });
    assert.equal(response.status, 400);
    assert.equal(decodeErrorBody(await response.json()).error.code, "malformed_header");
    assert.equal(t.storedProof(channel), undefined);
  });
});

describe("paywall: a proof sent to a free page", () => {
  const t = createTestReceiver();

  it("is neither recorded nor counted: the page is served and the next payment is the usual one", async () => {
    const channel = t.openChannel();
    const response = await t.pay("/free", await t.sign(channel, price), { [headerNames.price]: String(price) });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "free");
    assert.equal(response.headers.get(headerNames.senderBalance), null, "no echo: nothing was taken");
    assert.equal(t.storedProof(channel), undefined);
    assert.equal(t.receiver.getChannel(channel.sender.address, channel.openBlock)?.balance, 0n);
    assert.equal((await t.signAndPay("/fixed/1", channel, price)).status, 200);
  });
});

describe("paywall: the navigation preload of a payment worker that pays announced routes first", () => {
  const t = createTestReceiver();
  const html = { accept: "text/html,application/xhtml+xml" };
  const preload = { ...html, [navigationPreload.header]: navigationPreload.paysFirst };

  it("answers it under an announced route with a bodiless 402 marked as skipped, not the paywall page", async () => {
    const skipped = await t.app.request("/fixed/1", { headers: preload });
    assert.equal(skipped.status, 402);
    assert.equal(skipped.headers.get(headerNames.preloadSkipped), "1");
    assert.equal(skipped.headers.get("cache-control"), "no-store");
    assert.equal(await skipped.text(), "", "no paywall page rendered");
    // What a worker that did not know the route yet pays first from.
    assert.equal(decodePriceRouteHeader(skipped.headers), "/fixed/:id");
    assert.equal(decodePaymentResponseHeaders(skipped.headers).requirements.price, price);

    // The same navigation unmarked, or marked with the browser's default value: the full paywall page.
    for (const headers of [html, { ...html, [navigationPreload.header]: navigationPreload.browserDefault }]) {
      const full = await t.app.request("/fixed/1", { headers });
      assert.equal(full.status, 402);
      assert.equal(full.headers.get(headerNames.preloadSkipped), null);
      assert.match(await full.text(), /micro-raiden-paywall/);
    }
  });

  it("answers it normally for a free page and for a paid page under no announced route", async () => {
    const free = await t.app.request("/free", { headers: preload });
    assert.equal(free.status, 200);
    assert.equal(await free.text(), "free");
    // A price computed per request: no route announced, so the paywall page as ever.
    const unannounced = await t.app.request("/articles/1", { headers: preload });
    assert.equal(unannounced.status, 402);
    assert.equal(unannounced.headers.get(headerNames.preloadSkipped), null);
    assert.match(await unannounced.text(), /micro-raiden-paywall/);
  });

  it("charges and records nothing for the mark, and a paid request carrying it is paid as ever", async () => {
    const channel = t.openChannel();
    assert.equal((await t.app.request("/fixed/1", { headers: preload })).status, 402);
    assert.equal(t.storedProof(channel), undefined);
    assert.equal(t.receiver.getChannel(channel.sender.address, channel.openBlock)?.balance, 0n);
    const paid = await t.pay("/fixed/1", await t.sign(channel, price), preload);
    assert.equal(paid.status, 200);
    assert.equal(paid.headers.get(headerNames.preloadSkipped), null);
    assert.equal(t.storedProof(channel)?.balance, price, "charged once, the price");
  });
});

describe("paywall: a navigation preload that carries the worker's payment for the next page", () => {
  const t = createTestReceiver();
  const html = { accept: "text/html,application/xhtml+xml" };
  const carrying = (payment: Payment, paid = price) => ({
    ...html,
    [navigationPreload.header]: encodePreloadPaymentHeader({ payment, price: paid }),
  });
  const balanceOf = (channel: ReturnType<typeof t.openChannel>) =>
    t.receiver.getChannel(channel.sender.address, channel.openBlock)?.balance;

  it("is the paid request: the page is served paid, charged once, with the new balance echoed", async () => {
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const paid = await t.app.request("/fixed/1", { headers: carrying(payment) });
    assert.equal(paid.status, 200);
    assert.equal(paid.headers.get(headerNames.preloadSkipped), null);
    assert.deepEqual(decodePaymentResponseHeaders(paid.headers).echo, {
      sender: channel.sender.address,
      balance: price,
      signature: payment.signature,
    });
    assert.match(paid.headers.get("cache-control") ?? "", /private, max-age=/);
    assert.equal(t.storedProof(channel)?.balance, price);

    // The same header again, on another page (two tabs, or a header not updated yet): taken already, so skipped and
    // charged nothing; the worker pays that page the usual way.
    const again = await t.app.request("/fixed/2", { headers: carrying(payment) });
    assert.equal(again.status, 402);
    assert.equal(again.headers.get(headerNames.preloadSkipped), "1");
    assert.equal(await again.text(), "");
    assert.equal(balanceOf(channel), price);
  });

  it("is skipped, charging nothing, for another price, a reload, or a proof for another channel or contract", async () => {
    const channel = t.openChannel();
    const refusedOnes = [
      carrying(await t.sign(channel, 2n * price), 2n * price), // the page costs `price`: a wrong guess
      { ...carrying(await t.sign(channel, price)), "cache-control": "max-age=0" }, // a reload
      { ...carrying(await t.sign(channel, price)), "cache-control": "no-cache", pragma: "no-cache" },
      carrying(await t.sign(channel, price, { signed: { openBlock: channel.openBlock + 1n } })),
      carrying(await t.sign(channel, price, { signed: { domain: { contract: token } } })),
      carrying(await t.sign(channel, price, { signed: { domain: { chainId: 1 } } })),
      { ...html, [navigationPreload.header]: `${navigationPreload.paysFirst}; price=${price}; rdn-balance=1` },
    ];
    for (const headers of refusedOnes) {
      const skipped = await t.app.request("/fixed/1", { headers });
      assert.equal(skipped.status, 402, JSON.stringify(headers));
      assert.equal(skipped.headers.get(headerNames.preloadSkipped), "1");
      assert.equal(await skipped.text(), "", "no paywall page rendered");
    }
    assert.equal(t.storedProof(channel), undefined);
    assert.equal(balanceOf(channel), 0n);
    // The channel pays as ever afterwards.
    assert.equal((await t.signAndPay("/fixed/1", channel, price)).status, 200);
  });

  it("charges nothing on a free page or a paid page under no announced route", async () => {
    const channel = t.openChannel();
    const headers = carrying(await t.sign(channel, price));
    const free = await t.app.request("/free", { headers });
    assert.equal(free.status, 200);
    assert.equal(free.headers.get(headerNames.senderBalance), null);
    const unannounced = await t.app.request("/articles/1", { headers });
    assert.equal(unannounced.status, 402);
    assert.match(await unannounced.text(), /micro-raiden-paywall/);
    assert.equal(t.storedProof(channel), undefined);
    assert.equal(balanceOf(channel), 0n);
  });

  it("is served again, not charged again, when the worker sends the same payment for the same page", async () => {
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    assert.equal((await t.app.request("/fixed/1", { headers: carrying(payment) })).status, 200);
    const repeat = await t.pay("/fixed/1", payment, html);
    assert.equal(repeat.status, 200);
    assert.equal(balanceOf(channel), price);
  });
});
