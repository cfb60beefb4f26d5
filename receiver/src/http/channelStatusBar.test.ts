import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AttributeReader,
  decodePaymentResponseHeaders,
  decodePaywallAttributes,
  headerNames,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { html } from "hono/html";
import { channelStatusBar, channelStatusElementId } from "./channelStatusBar.ts";
import { paidRequirements } from "./paidRequirements.ts";
import { paywall } from "./paywall.ts";
import { receiverApp } from "./receiverApp.ts";
import { articlePrice, createTestReceiver } from "./testReceiver.test-helper.ts";

const script = "/micro-raiden/paywall.js";
const htmlAccept = { accept: "text/html" };

/** The attributes of the status element in `markup`, as the widget's script reads them. */
function statusElement(markup: string): AttributeReader & { count: number } {
  const elements = [...markup.matchAll(new RegExp(`<div id="${channelStatusElementId}"([^>]*)></div>`, "g"))];
  const attributes = new Map(
    [...(elements[0]?.[1] ?? "").matchAll(/ ([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name ?? "", value ?? ""]),
  );
  return { count: elements.length, getAttribute: (name) => attributes.get(name) ?? null };
}

describe("channelStatusBar: a paid page carries the reader's channel status", () => {
  const t = createTestReceiver();
  // A site's own paid page, as a receiverApp route: the bar from the routes' context, the price per request.
  const app = receiverApp({
    receiver: t.receiver,
    paywallScript: script,
    routes: (app, { paywall, channelStatusBar }) => {
      app.get("/pages/:n", paywall({ price: (c) => BigInt(c.req.param("n") ?? "1") * articlePrice }), (c) =>
        c.html(html`<!doctype html><body>${channelStatusBar(c)}<article>Paid page</article></body>`),
      );
    },
  });

  it("writes the element with the requirements the page was charged for, then the script, once", async () => {
    const channel = t.openChannel();
    const response = await app.request("/pages/2", {
      headers: { ...t.paymentHeaders(await t.sign(channel, 2n * articlePrice)), ...htmlAccept },
    });
    assert.equal(response.status, 200);
    const charged = decodePaymentResponseHeaders(response.headers).requirements;
    const markup = await response.text();
    const element = statusElement(markup);
    assert.equal(element.count, 1);
    assert.deepEqual(decodePaywallAttributes(element), charged);
    assert.equal(charged.price, 2n * articlePrice, "the page's own (dynamic) price");
    assert.equal(markup.match(/<script /g)?.length, 1);
    assert.match(markup, new RegExp(`</div><script src="${script}" async></script><article>`));
  });

  it("is on the page served by a one-time ticket too (paid navigation without a Service Worker)", async () => {
    const channel = t.openChannel();
    const paid = await app.request("/pages/1", {
      headers: {
        ...t.paymentHeaders(await t.sign(channel, articlePrice)),
        [headerNames.navigationTicket]: "1",
      },
    });
    const cookie = (paid.headers.get("set-cookie") ?? assert.fail("no ticket")).split(";")[0] ?? "";
    const reload = await app.request("/pages/1", { headers: { cookie, ...htmlAccept } });
    assert.equal(reload.status, 200);
    assert.equal(decodePaywallAttributes(statusElement(await reload.text())).price, articlePrice);
  });

  it("escapes what it writes into attributes", async () => {
    const plain = new Hono();
    plain.get("/page", paywall({ receiver: t.receiver, price: articlePrice }), (c) =>
      c.html(channelStatusBar(c, { paywallScript: `/s.js?a=1&b="x"` })),
    );
    const channel = t.openChannel();
    const response = await plain.request("/page", { headers: t.paymentHeaders(await t.sign(channel, articlePrice)) });
    const markup = await response.text();
    assert.match(markup, /<script src="\/s\.js\?a=1&amp;b=&quot;x&quot;" async><\/script>$/);
    assert.equal(statusElement(markup).count, 1);
  });

  it("leaves the script out when none is configured", async () => {
    const bare = receiverApp({
      receiver: t.receiver,
      routes: (app, { paywall, channelStatusBar }) => {
        app.get("/page", paywall({ price: articlePrice }), (c) => c.html(channelStatusBar(c)));
      },
    });
    const channel = t.openChannel();
    const response = await bare.request("/page", { headers: t.paymentHeaders(await t.sign(channel, articlePrice)) });
    const markup = await response.text();
    assert.equal(statusElement(markup).count, 1);
    assert.doesNotMatch(markup, /<script/);
  });

  it("refuses a request no paywall let through, and the 402 page has no status bar", async () => {
    const free = new Hono();
    free.get("/free", (c) => {
      assert.equal(paidRequirements(c), undefined);
      return c.html(channelStatusBar(c));
    });
    free.onError((error, c) => c.text(error.message, 500));
    const response = await free.request("/free");
    assert.equal(response.status, 500);
    assert.match(await response.text(), /not let through by paywall\(\)/);

    const unpaid = await app.request("/pages/1", { headers: htmlAccept });
    assert.equal(unpaid.status, 402);
    assert.equal(statusElement(await unpaid.text()).count, 0);
  });
});
