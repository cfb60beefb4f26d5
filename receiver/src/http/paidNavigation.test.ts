// What the receiver does for paid navigation in browsers: caching rules of paid and unpaid answers, the 402 page
// (prices in tokens, the paywall script), the widget's files, and the one-time tickets of the no-worker fallback.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { decodeErrorBody, decodePaywallAttributes, headerNames } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { parseEther } from "viem";
import type { Receiver } from "../Receiver.ts";
import { navigationTickets, ticketCookieName } from "./navigationTickets.ts";
import { receiverApp } from "./receiverApp.ts";
import { articles, createTestReceiver, tempDirectory, testRoutes } from "./testReceiver.test-helper.ts";

const [article1, article2] = articles;
const html = { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" };
const dir = tempDirectory();
after(() => dir.cleanup());

/** A receiver whose token reads as "TKN" with 18 decimals, like the demo token. */
function withToken(receiver: Receiver): Receiver {
  return { ...receiver, token: { address: receiver.deployment.token, symbol: "TKN", decimals: 18 } };
}

function paywallSection(page: string) {
  const tag = /<section id="micro-raiden-paywall"([^>]*)>/.exec(page)?.[1] ?? assert.fail("no paywall element");
  const attributes = new Map([...tag.matchAll(/ ([a-z-]+)="([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
  return { getAttribute: (name: string) => attributes.get(name) ?? null };
}

describe("paid navigation: Cache-Control", () => {
  const t = createTestReceiver();

  it("marks a paid page private with the default max-age, so only the reader's browser keeps it", async () => {
    const channel = t.openChannel();
    const response = await t.signAndPay("/articles/1", channel, article1.price);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "private, max-age=300");
  });

  it("uses the configured max-age, and keeps a handler's stricter no-store", async () => {
    const app = receiverApp({
      receiver: t.receiver,
      paidMaxAge: 42,
      routes: (app, context) => {
        testRoutes(app, context);
        app.get("/secret", context.paywall({ price: article1.price }), (c) => {
          c.header("cache-control", "no-store");
          return c.text("secret");
        });
        app.get("/public", context.paywall({ price: article1.price }), (c) => {
          c.header("cache-control", "public, max-age=86400");
          return c.text("not public once paid");
        });
      },
    });
    const channel = t.openChannel();
    const paid = await app.request("/articles/1", { headers: t.paymentHeaders(await t.sign(channel, article1.price)) });
    assert.equal(paid.headers.get("cache-control"), "private, max-age=42");
    const secret = await app.request("/secret", {
      headers: t.paymentHeaders(await t.sign(channel, 2n * article1.price)),
    });
    assert.equal(secret.status, 200);
    assert.equal(secret.headers.get("cache-control"), "no-store");
    const overridden = await app.request("/public", {
      headers: t.paymentHeaders(await t.sign(channel, 3n * article1.price)),
    });
    assert.equal(overridden.status, 200);
    assert.equal(overridden.headers.get("cache-control"), "private, max-age=42", "a shared cache never gets it");
  });

  it("answers a reload of a copy paid within the max-age 304, charging nothing; an older or forged one as ever", async () => {
    const channel = t.openChannel();
    const paid = await t.signAndPay("/articles/1", channel, article1.price);
    assert.equal(paid.status, 200);
    const paidAt = paid.headers.get("last-modified");
    assert.ok(paidAt && Math.abs(Date.parse(paidAt) - Date.now()) < 5_000, "Last-Modified: when it was paid");
    const balance = () => t.receiver.getChannel(channel.sender.address, channel.openBlock)?.balance;

    // The browser's reload: its copy's Last-Modified as If-Modified-Since, no payment.
    const reload = await t.app.request("/articles/1", {
      headers: { ...html, "cache-control": "max-age=0", "if-modified-since": paidAt },
    });
    assert.equal(reload.status, 304);
    assert.equal(await reload.text(), "");
    const left = Number(/private, max-age=(\d+)/.exec(reload.headers.get("cache-control") ?? "")?.[1]);
    assert.ok(left > 290 && left <= 300, "only what is left of the max-age");
    assert.equal(balance(), article1.price, "nothing charged");

    // Stamped by a receiver whose clock runs a few seconds ahead (several share one database): the copy stands, for no
    // more than the max-age.
    const skewed = await t.app.request("/articles/1", {
      headers: { ...html, "if-modified-since": new Date(Date.now() + 3_000).toUTCString() },
    });
    assert.equal(skewed.status, 304);
    assert.equal(skewed.headers.get("cache-control"), "private, max-age=300");

    // A copy older than the max-age, a date further in the future or no date at all: a 402 as ever.
    const old = new Date(Date.now() - 301_000).toUTCString();
    const future = new Date(Date.now() + 60_000).toUTCString();
    for (const since of [old, future, "yesterday"]) {
      const response = await t.app.request("/articles/1", { headers: { ...html, "if-modified-since": since } });
      assert.equal(response.status, 402, since);
    }
    // A payment is a payment: taken and answered, whatever the request revalidates.
    const paidAgain = await t.pay("/articles/1", await t.sign(channel, 2n * article1.price), {
      "if-modified-since": paidAt,
    });
    assert.equal(paidAgain.status, 200);
    assert.equal(balance(), 2n * article1.price);
  });

  it("keeps a copy no longer than the max-age from its payment, however often it is revalidated", async () => {
    // The 304 replaces the copy's Cache-Control and Date in the browser, not its Last-Modified: a copy paid four
    // minutes ago, revalidated now, is fresh for the minute left (checked in Chromium by hand: a link followed after
    // that minute revalidates with the payment's Last-Modified again and gets the 402).
    const paidAt = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toUTCString();
    const revalidate = (since: string) =>
      t.app.request("/articles/1", { headers: { ...html, "cache-control": "max-age=0", "if-modified-since": since } });
    const later = await revalidate(paidAt(240));
    assert.equal(later.status, 304);
    const left = Number(/private, max-age=(\d+)/.exec(later.headers.get("cache-control") ?? "")?.[1]);
    assert.ok(left > 0 && left <= 60, `only the minute left, not ${left}`);
    assert.equal((await revalidate(paidAt(300))).status, 402, "at the max-age: paid again");
  });

  it("never answers 304 where paid pages may not be kept (paid max-age 0)", async () => {
    const app = receiverApp({ receiver: t.receiver, paidMaxAge: 0, routes: testRoutes });
    const response = await app.request("/articles/1", {
      headers: { ...html, "if-modified-since": new Date().toUTCString() },
    });
    assert.equal(response.status, 402);
  });

  it("refuses a max-age that is not a whole number of seconds", () => {
    for (const paidMaxAge of [-1, 1.5, Number.NaN]) {
      assert.throws(() => receiverApp({ receiver: t.receiver, paidMaxAge, routes: testRoutes }), /paidMaxAge/);
    }
  });

  it("marks every 402 no-store: the HTML page, the JSON answer, and a refused payment", async () => {
    const page = await t.app.request("/articles/1", { headers: html });
    assert.equal(page.status, 402);
    assert.equal(page.headers.get("cache-control"), "no-store");
    const json = await t.app.request("/articles/1");
    assert.equal(json.status, 402);
    assert.equal(json.headers.get("cache-control"), "no-store");
    const channel = t.openChannel();
    const refused = await t.signAndPay("/articles/1", channel, article1.price - 1n);
    assert.equal(refused.status, 402);
    assert.equal(refused.headers.get("cache-control"), "no-store");
  });
});

describe("paid navigation: the 402 page", () => {
  const t = createTestReceiver();

  it("shows the price in tokens with the token's symbol, and loads the script as a classic async script", async () => {
    const app = receiverApp({ receiver: withToken(t.receiver), routes: testRoutes, paywallScript: "/pw.js" });
    const response = await app.request("/articles/2", { headers: html });
    const page = await response.text();
    assert.match(page, /This page costs 0\.002 TKN/);
    assert.doesNotMatch(page, /base units/);
    assert.match(page, /<script src="\/pw\.js" async><\/script>/);
    assert.doesNotMatch(page, /type="module"/);
    assert.match(page, /browser wallet/, "says what a reader without JavaScript needs");
    assert.equal(decodePaywallAttributes(paywallSection(page)).price, article2.price);
  });

  it("formats amounts from bigint exactly, however many decimals", async () => {
    const receiver = { ...t.receiver, token: { address: t.receiver.deployment.token, symbol: "WEI", decimals: 0 } };
    const app = receiverApp({
      receiver,
      routes: (app, { paywall }) => app.get("/big", paywall({ price: 2n ** 128n + 1n }), (c) => c.text("big")),
    });
    const page = await (await app.request("/big", { headers: html })).text();
    assert.match(page, /This page costs 340282366920938463463374607431768211457 WEI/);
  });

  it("loads the served script by default when the app serves the widget's file", async () => {
    const file = join(dir.path, "paywall.js");
    await writeFile(file, "/* widget */");
    const app = receiverApp({ receiver: t.receiver, routes: testRoutes, paywallScriptFile: file });
    const page = await (await app.request("/articles/1", { headers: html })).text();
    assert.match(page, /<script src="\/micro-raiden\/paywall\.[0-9a-f]{16}\.js" async><\/script>/);
  });
});

describe("paid navigation: the widget's files", () => {
  const t = createTestReceiver();
  const worker = join(dir.path, "micro-raiden-sw.js");
  const script = join(dir.path, "tag.js");
  const app = receiverApp({
    receiver: t.receiver,
    routes: testRoutes,
    serviceWorkerFile: worker,
    paywallScriptFile: script,
  });

  it("serves the Service Worker at the root for scope /, never from a stale cache", async () => {
    await writeFile(worker, "self.version = 1;");
    const response = await app.request("/micro-raiden-sw.js");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("service-worker-allowed"), "/");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.equal(await response.text(), "self.version = 1;");

    // Revalidation: the same file answers 304; a rebuilt file is served at once, without a restart.
    const etag = response.headers.get("etag") ?? assert.fail("no ETag");
    const again = await app.request("/micro-raiden-sw.js", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    await writeFile(worker, "self.version = 2; // a new release");
    const updated = await app.request("/micro-raiden-sw.js", { headers: { "if-none-match": etag } });
    assert.equal(updated.status, 200);
    assert.equal(await updated.text(), "self.version = 2; // a new release");
    assert.notEqual(updated.headers.get("etag"), etag);
  });

  it("serves the paywall script with a short public cache", async () => {
    await writeFile(script, "window.microRaiden = {};");
    const response = await app.request("/micro-raiden/paywall.js");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "public, max-age=300");
    assert.equal(response.headers.get("service-worker-allowed"), null);
    assert.equal(await response.text(), "window.microRaiden = {};");
  });

  it("answers a JSON 404 for a configured file that is not built", async () => {
    const missing = receiverApp({ receiver: t.receiver, serviceWorkerFile: join(dir.path, "not-built.js") });
    const response = await missing.request("/micro-raiden-sw.js");
    assert.equal(response.status, 404);
    assert.equal(decodeErrorBody(await response.json()).error.code, "not_found");
  });

  it("serves neither file when none is configured", async () => {
    for (const path of ["/micro-raiden-sw.js", "/micro-raiden/paywall.js"]) {
      assert.equal((await t.app.request(path)).status, 404);
    }
  });
});

describe("paid navigation: one-time tickets (the fallback without a Service Worker)", () => {
  const t = createTestReceiver();
  const ask = { [headerNames.navigationTicket]: "1" };

  /** Pays for `path` asking for a ticket; returns the ticket cookie's value and attributes. */
  async function payForTicket(channel: ReturnType<typeof t.openChannel>, balance: bigint, path = "/articles/1") {
    const response = await t.pay(path, await t.sign(channel, balance), ask);
    assert.equal(response.status, 200);
    const setCookie = response.headers.get("set-cookie") ?? assert.fail("no ticket cookie");
    const value = new RegExp(`^${ticketCookieName}=([^;]+)`).exec(setCookie)?.[1] ?? assert.fail(setCookie);
    return { value, setCookie, cookie: `${ticketCookieName}=${value}` };
  }

  it("sets an HttpOnly, SameSite=Strict, path-bound, short-lived cookie only when asked", async () => {
    const channel = t.openChannel();
    const plain = await t.signAndPay("/articles/1", channel, article1.price);
    assert.equal(plain.headers.get("set-cookie"), null, "no ticket unless the page asks for one");
    const { value, setCookie } = await payForTicket(channel, 2n * article1.price);
    assert.ok(value.length >= 43, "at least 256 random bits");
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    assert.match(setCookie, /; Path=\/articles\/1(;|$)/);
    assert.match(setCookie, /; Max-Age=30(;|$)/);
    assert.doesNotMatch(setCookie, /; Secure/, "plain http on loopback");
  });

  it("lets the reload after the payment read the page once, without paying again", async () => {
    const channel = t.openChannel();
    const { cookie } = await payForTicket(channel, article1.price);
    const stored = t.storedProof(channel);
    const reload = await t.app.request("/articles/1", { headers: { ...html, cookie } });
    assert.equal(reload.status, 200);
    assert.match(await reload.text(), new RegExp(article1.title));
    assert.equal(reload.headers.get("cache-control"), "private, max-age=300");
    assert.match(reload.headers.get("set-cookie") ?? "", new RegExp(`^${ticketCookieName}=;.*Max-Age=0`));
    assert.deepEqual(t.storedProof(channel), stored, "nothing charged");

    const replay = await t.app.request("/articles/1", { headers: { ...html, cookie } });
    assert.equal(replay.status, 402, "a ticket is good for one read");
  });

  it("refuses a ticket on another path or method, and that use spends it", async () => {
    const channel = t.openChannel();
    const { cookie } = await payForTicket(channel, article1.price);
    assert.equal((await t.app.request("/articles/2", { headers: { cookie } })).status, 402);
    assert.equal((await t.app.request("/articles/1", { headers: { cookie } })).status, 402);

    const second = await payForTicket(channel, 2n * article1.price);
    assert.equal((await t.app.request("/articles/1?page=2", { headers: { cookie: second.cookie } })).status, 402);
    const third = await payForTicket(channel, 3n * article1.price);
    assert.equal(
      (await t.app.request("/articles/1", { method: "HEAD", headers: { cookie: third.cookie } })).status,
      402,
    );
  });

  it("refuses a made-up ticket", async () => {
    const forged = `${ticketCookieName}=${"A".repeat(43)}`;
    assert.equal((await t.app.request("/articles/1", { headers: { cookie: forged } })).status, 402);
  });

  it("refuses a ticket after its lifetime", async () => {
    let now = 1_000_000;
    const tickets = navigationTickets({ lifetimeSeconds: 30, now: () => now });
    const app = new Hono();
    app.get("/issue", async (c) => {
      await tickets.issue(c, "GET /read");
      return c.text("paid");
    });
    app.get("/read", async (c) => c.text(String(await tickets.redeem(c, "GET /read"))));
    const issued = (await app.request("/issue")).headers.get("set-cookie") ?? assert.fail("no cookie");
    const cookie = issued.split(";")[0] ?? "";
    const early = (await app.request("/issue")).headers.get("set-cookie")?.split(";")[0] ?? "";
    assert.equal(await (await app.request("/read", { headers: { cookie: early } })).text(), "true");
    now += 30_001;
    assert.equal(await (await app.request("/read", { headers: { cookie } })).text(), "false");
  });

  it("forgets the oldest tickets beyond the limit", async () => {
    const tickets = navigationTickets({ maxTickets: 2 });
    const app = new Hono();
    app.get("/issue", async (c) => {
      await tickets.issue(c, "GET /read");
      return c.text("paid");
    });
    app.get("/read", async (c) => c.text(String(await tickets.redeem(c, "GET /read"))));
    const cookies: string[] = [];
    for (let i = 0; i < 4; i++) {
      cookies.push((await app.request("/issue")).headers.get("set-cookie")?.split(";")[0] ?? "");
    }
    const read = async (cookie: string) => (await app.request("/read", { headers: { cookie } })).text();
    assert.equal(await read(cookies[0] ?? ""), "false");
    assert.equal(await read(cookies[3] ?? ""), "true");
  });

  it("is a receipt, not a payment: a paid request still costs the full price", async () => {
    const channel = t.openChannel({ deposit: parseEther("1") });
    await payForTicket(channel, article1.price);
    const underpaid = await t.pay("/articles/1", await t.sign(channel, article1.price + 1n), ask);
    assert.equal(underpaid.status, 402);
    assert.equal(underpaid.headers.get("set-cookie"), null);
  });
});
