import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  type AttributeReader,
  decodeErrorBody,
  decodePaymentRequiredBody,
  decodePaymentResponseHeaders,
  decodePaywallAttributes,
  headerNames,
  paywallPolicyAttributeNames,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { parseEther } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { paywall } from "./paywall.ts";
import {
  articles,
  chainId,
  channelManager,
  createTestReceiver,
  decodeFailure,
  failureHeadersOf,
  newAccount,
  pricePerCharacter,
  shuffled,
  type TestReceiver,
  tempDirectory,
  token,
} from "./testReceiver.test-helper.ts";

const [article1, article2] = articles;
const price = article1.price;

/** Asserts a 402 refusal with exactly one failure header of `code` and value `value`, and returns its echo. */
async function assertRefused(response: Response, code: string, value = 1n) {
  assert.equal(response.status, 402);
  const decoded = await decodeFailure(response);
  assert.equal(decoded.body.error.code, code);
  assert.equal(decoded.failureHeaders.length, 1, `exactly one failure header, got ${decoded.failureHeaders}`);
  assert.equal(decoded.failure?.code, code);
  assert.equal(decoded.failure?.value, value);
  return decoded;
}

describe("paywall: unpaid requests", () => {
  const t = createTestReceiver();

  it("answers 402 with every requirement header and a payment_required JSON body", async () => {
    const response = await t.app.request("/articles/2");
    assert.equal(response.status, 402);
    const { requirements, echo, failure } = decodePaymentResponseHeaders(response.headers);
    assert.deepEqual(requirements, {
      gatewayPath: "/api/1",
      receiver: t.receiver.address,
      contract: channelManager,
      token,
      chainId,
      price: article2.price,
    });
    assert.equal(echo, undefined);
    assert.equal(failure, undefined);
    assert.deepEqual(failureHeadersOf(response), []);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    const json: unknown = await response.json();
    const body = decodePaymentRequiredBody(json); // which also checks the code is payment_required
    assert.equal(decodeErrorBody(json).error.code, "payment_required");
    assert.equal(typeof body.message, "string");
    assert.equal(body.price, article2.price);
  });

  it("gives browsers (Accept: text/html) an HTML page with the price and the teaser", async () => {
    const response = await t.app.request("/articles/2", {
      headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8" },
    });
    assert.equal(response.status, 402);
    assert.match(response.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(decodePaymentResponseHeaders(response.headers).requirements.price, article2.price);
    const page = await response.text();
    assert.ok(page.includes(article2.price.toString()), "the page shows the price");
    assert.ok(page.includes(`<h1>${article2.title}</h1>`), "the page shows the teaser");
    assert.ok(page.includes(`data-receiver="${t.receiver.address}"`));
    assert.ok(page.includes(`data-contract="${channelManager}"`));
    // What the widget reads from the page is exactly what the headers say.
    assert.deepEqual(
      decodePaywallAttributes(paywallElement(page)),
      decodePaymentResponseHeaders(response.headers).requirements,
    );
  });

  it("declares on the 402 page the most a page costs, when the site says (data-max-price), and nothing otherwise", async () => {
    const site = new Hono();
    site.get("/declared", paywall({ receiver: t.receiver, price, autoPayMaxPrice: 5n * price }), (c) => c.text("paid"));
    site.get("/silent", paywall({ receiver: t.receiver, price }), (c) => c.text("paid"));
    const page = async (path: string) =>
      (await site.request(path, { headers: { accept: "text/html" } })).text().then(paywallElement);
    assert.equal((await page("/declared")).getAttribute(paywallPolicyAttributeNames.maxPrice), String(5n * price));
    assert.equal((await page("/silent")).getAttribute(paywallPolicyAttributeNames.maxPrice), null);
  });

  it("serves free pages without any payment header", async () => {
    const response = await t.app.request("/free");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get(headerNames.price), null);
  });

  it("answers 404 for an article that does not exist, without asking for payment", async () => {
    const response = await t.app.request("/articles/999");
    assert.equal(response.status, 404);
    assert.equal(response.headers.get(headerNames.price), null);
    assert.equal(decodeErrorBody(await response.json()).error.code, "not_found");
  });
});

describe("paywall: paid requests", () => {
  const t = createTestReceiver();

  it("serves the content with the new balance and the echoed signature, and the proof is stored", async () => {
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const response = await t.pay("/articles/1", payment);
    assert.equal(response.status, 200);
    // The proof is durable by the time the response is out, with the request it paid for and when.
    const { committedAt, ...stored } = t.storedProof(channel) ?? assert.fail("no stored proof");
    assert.deepEqual(stored, {
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance: price,
      signature: payment.signature,
      request: "GET /articles/1",
    });
    assert.ok(Math.abs(committedAt - Date.now()) < 60_000, "committed just now");
    const { requirements, echo, failure } = decodePaymentResponseHeaders(response.headers);
    assert.equal(requirements.price, price);
    assert.deepEqual(echo, { sender: channel.sender.address, balance: price, signature: payment.signature });
    assert.equal(failure, undefined);
    assert.equal(response.headers.get(headerNames.senderBalance), price.toString());
    assert.equal(response.headers.get(headerNames.balanceSignature), payment.signature);
    assert.ok((await response.text()).includes(article1.title));

    // The next payment builds on it: balance = previous + this price.
    const second = await t.sign(channel, price + article2.price);
    const next = await t.pay("/articles/2", second);
    assert.equal(next.status, 200);
    assert.equal(next.headers.get(headerNames.senderBalance), (price + article2.price).toString());
    assert.equal(t.storedProof(channel)?.balance, price + article2.price);
    assert.equal(t.storedProof(channel)?.signature, second.signature);
  });

  it("has committed the proof to disk (visible to another connection) when the response is returned", async () => {
    const dir = tempDirectory();
    after(dir.cleanup);
    const path = join(dir.path, "receiver.db");
    const store = sqliteStore(path);
    const fileBacked = createTestReceiver({ store });
    const channel = fileBacked.openChannel();
    const payment = await fileBacked.sign(channel, price);
    const response = await fileBacked.pay("/articles/1", payment);
    assert.equal(response.status, 200);
    const other = sqliteStore(path);
    try {
      assert.deepEqual(
        other.loadProofs().map(({ committedAt: _, ...proof }) => proof),
        [
          {
            sender: channel.sender.address,
            openBlock: channel.openBlock,
            balance: price,
            signature: payment.signature,
            request: "GET /articles/1",
          },
        ],
      );
    } finally {
      other.close();
      store.close();
    }
  });

  it("writes the proof before the paid response leaves the middleware", async () => {
    const order: string[] = [];
    const store = sqliteStore(":memory:");
    const spy: ProofStore = {
      ...store,
      saveProofs(proofs) {
        order.push(`save ${proofs.map((p) => p.balance).join(",")}`);
        store.saveProofs(proofs);
      },
    };
    const t2 = createTestReceiver({ store: spy });
    const channel = t2.openChannel();
    const app = new Hono();
    app.use("*", async (c, next) => {
      await next();
      order.push(`response ${c.res.status}`);
    });
    app.get("/paid", paywall({ receiver: t2.receiver, price }), (c) => {
      order.push("handler");
      return c.text("paid");
    });
    const response = await app.request("/paid", { headers: t2.paymentHeaders(await t2.sign(channel, price)) });
    assert.equal(response.status, 200);
    assert.deepEqual(order, ["handler", `save ${price}`, "response 200"]);
  });

  it("charges a dynamic price: /echodyn/:text costs its length × pricePerCharacter", async () => {
    const channel = t.openChannel();
    const unpaid = await t.app.request("/echodyn/hello");
    assert.equal(unpaid.status, 402);
    assert.equal(decodePaymentResponseHeaders(unpaid.headers).requirements.price, 5n * pricePerCharacter);

    // Paying the price of another length is the wrong amount.
    await assertRefused(await t.signAndPay("/echodyn/hello", channel, 4n * pricePerCharacter), "invalid_amount");

    const response = await t.signAndPay("/echodyn/hello", channel, 5n * pricePerCharacter);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "hello");
    assert.equal(response.headers.get(headerNames.price), (5n * pricePerCharacter).toString());

    const longer = await t.signAndPay("/echodyn/abcdefghij", channel, 15n * pricePerCharacter);
    assert.equal(longer.status, 200);
    assert.equal(await longer.text(), "abcdefghij");
    assert.equal(t.storedProof(channel)?.balance, 15n * pricePerCharacter);
  });

  it("accepts proofs signed by the channel's delegated session key (and by the sender itself)", async () => {
    const channel = t.openChannel({ session: true });
    assert.ok(channel.session);
    const bySession = await t.sign(channel, price, { signer: channel.session });
    const first = await t.pay("/articles/1", bySession);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get(headerNames.balanceSignature), bySession.signature);
    const again = await t.pay("/articles/1", await t.sign(channel, 2n * price, { signer: channel.session }));
    assert.equal(again.status, 200);
    const bySender = await t.pay("/articles/1", await t.sign(channel, 3n * price));
    assert.equal(bySender.status, 200);
    assert.equal(t.storedProof(channel)?.balance, 3n * price);
  });

  it("refuses a session key on a channel that registered none, or another channel's session key", async () => {
    const withoutSession = t.openChannel();
    const withSession = t.openChannel({ session: true });
    assert.ok(withSession.session);
    await assertRefused(
      await t.pay("/articles/1", await t.sign(withoutSession, price, { signer: withSession.session })),
      "invalid_balance_proof",
    );
    const otherSessionChannel = t.openChannel({ session: true });
    await assertRefused(
      await t.pay("/articles/1", await t.sign(withSession, price, { signer: otherSessionChannel.session })),
      "invalid_balance_proof",
    );
    assert.equal(t.storedProof(withoutSession), undefined);
    assert.equal(t.storedProof(withSession), undefined);
  });
});

describe("paywall: wrong amounts", () => {
  const t = createTestReceiver();

  it("refuses a balance below last + price with RDN-Invalid-Amount and an echo of the stored balance", async () => {
    const channel = t.openChannel();
    const fresh = await assertRefused(await t.signAndPay("/articles/1", channel, price - 1n), "invalid_amount");
    // No payment yet: the echo is balance 0 without a signature.
    assert.deepEqual(fresh.echo, { sender: channel.sender.address, balance: 0n, signature: undefined });

    const paid = await t.sign(channel, price);
    assert.equal((await t.pay("/articles/1", paid)).status, 200);
    const low = await assertRefused(await t.signAndPay("/articles/1", channel, price + 1n), "invalid_amount");
    assert.deepEqual(low.echo, { sender: channel.sender.address, balance: price, signature: paid.signature });
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses a balance above last + price (after waiting for a predecessor that never comes)", async () => {
    const channel = t.openChannel();
    const paid = await t.sign(channel, price);
    assert.equal((await t.pay("/articles/1", paid)).status, 200);
    const high = await assertRefused(await t.signAndPay("/articles/1", channel, 3n * price), "invalid_amount");
    assert.deepEqual(high.echo, { sender: channel.sender.address, balance: price, signature: paid.signature });
    assert.equal(t.storedProof(channel)?.balance, price);
    // The channel is not stuck: the right amount still goes through.
    assert.equal((await t.signAndPay("/articles/1", channel, 2n * price)).status, 200);
  });

  it("refuses a repeated (replayed) payment once its response was delivered", async () => {
    const channel = t.openChannel();
    const paid = await t.sign(channel, price);
    const first = await t.pay("/articles/1", paid);
    assert.equal(first.status, 200);
    await first.text();
    const replay = await assertRefused(await t.pay("/articles/1", paid), "invalid_amount");
    assert.deepEqual(replay.echo, { sender: channel.sender.address, balance: price, signature: paid.signature });
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses a zero balance on a fresh channel", async () => {
    const channel = t.openChannel();
    await assertRefused(await t.signAndPay("/articles/1", channel, 0n), "invalid_amount");
    assert.equal(t.storedProof(channel), undefined);
  });
});

describe("paywall: channel state", () => {
  it("refuses an unconfirmed channel with RDN-Insufficient-Confirmations = blocks left, then accepts it", async () => {
    const t = createTestReceiver({ confirmations: 3, head: 50n });
    const channel = t.openChannel({ openBlock: 50n });
    const payment = await t.sign(channel, price);
    const refused = await assertRefused(await t.pay("/articles/1", payment), "insufficient_confirmations", 2n);
    assert.deepEqual(refused.echo, { sender: channel.sender.address, balance: 0n, signature: undefined });
    t.setHead(51n);
    await assertRefused(await t.pay("/articles/1", payment), "insufficient_confirmations", 1n);
    assert.deepEqual(t.storedProofs(), []);
    t.setHead(52n);
    const response = await t.pay("/articles/1", payment);
    assert.equal(response.status, 200);
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("counts a top-up only once it is confirmed", async () => {
    const t = createTestReceiver({ confirmations: 3, head: 60n });
    const channel = t.openChannel({ openBlock: 50n, deposit: price });
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    t.topUp(channel, price, 59n);
    await assertRefused(await t.signAndPay("/articles/1", channel, 2n * price), "invalid_balance_proof");
    t.setHead(61n);
    assert.equal((await t.signAndPay("/articles/1", channel, 2n * price)).status, 200);
  });

  const t = createTestReceiver();

  it("refuses an unknown channel with RDN-Nonexisting-Channel and no echo", async () => {
    const stranger = newAccount();
    const channel = { sender: stranger, openBlock: 77n, session: undefined, deposit: 0n };
    const refused = await assertRefused(await t.signAndPay("/articles/1", channel, price), "nonexisting_channel");
    assert.equal(refused.echo, undefined);
    // A known sender on another open block is just as unknown.
    const known = t.openChannel();
    const other = await assertRefused(
      await t.signAndPay("/articles/1", { ...known, openBlock: known.openBlock + 1000n }, price),
      "nonexisting_channel",
    );
    assert.equal(other.echo, undefined);
    assert.deepEqual(t.storedProofs(), []);
  });

  it("refuses a channel whose sender asked to close (ChannelCloseRequested)", async () => {
    const channel = t.openChannel();
    const paid = await t.sign(channel, price);
    assert.equal((await t.pay("/articles/1", paid)).status, 200);
    t.requestClose(channel, price, t.head());
    const refused = await assertRefused(await t.signAndPay("/articles/1", channel, 2n * price), "nonexisting_channel");
    assert.deepEqual(refused.echo, { sender: channel.sender.address, balance: price, signature: paid.signature });
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses a settled channel", async () => {
    const channel = t.openChannel();
    t.requestClose(channel, 0n, t.head());
    t.settle(channel, 0n, t.head());
    await assertRefused(await t.signAndPay("/articles/1", channel, price), "nonexisting_channel");
    assert.equal(t.storedProof(channel), undefined);
  });

  it("refuses a balance above the deposit with RDN-Invalid-Balance-Proof", async () => {
    const channel = t.openChannel({ deposit: 2n * price });
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    assert.equal((await t.signAndPay("/articles/1", channel, 2n * price)).status, 200);
    const refused = await assertRefused(
      await t.signAndPay("/articles/1", channel, 3n * price),
      "invalid_balance_proof",
    );
    assert.equal(refused.echo?.balance, 2n * price);
    assert.equal(t.storedProof(channel)?.balance, 2n * price);
  });

  it("refuses a proof signed by someone other than the sender", async () => {
    const channel = t.openChannel();
    const payment = await t.sign(channel, price, { signer: newAccount() });
    const refused = await assertRefused(await t.pay("/articles/1", payment), "invalid_balance_proof");
    // The channel's state is the sender's: nobody who cannot sign for it gets the echo.
    assert.equal(refused.echo, undefined);
    assert.equal(t.storedProof(channel), undefined);
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
  });

  it("refuses a proof signed for another channel, receiver, contract or chain", async () => {
    const channel = t.openChannel();
    const otherChannel = t.openChannel({ sender: channel.sender });
    const variants = [
      { openBlock: otherChannel.openBlock },
      { sender: newAccount().address },
      { receiver: newAccount().address },
      { domain: { contract: token } },
      { domain: { chainId: 1 } },
    ];
    for (const signed of variants) {
      const payment = await t.sign(channel, price, { signed });
      await assertRefused(await t.pay("/articles/1", payment), "invalid_balance_proof");
    }
    assert.equal(t.storedProof(channel), undefined);
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
  });

  it("answers 400 wrong_contract / wrong_receiver for a payment meant for another contract or receiver", async () => {
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    for (const [override, code] of [
      [{ contract: token }, "wrong_contract"],
      [{ receiver: newAccount().address }, "wrong_receiver"],
    ] as const) {
      const response = await t.pay("/articles/1", { ...payment, ...override });
      assert.equal(response.status, 400);
      assert.equal(decodeErrorBody(await response.json()).error.code, code);
      assert.deepEqual(failureHeadersOf(response), []);
      assert.equal(decodePaymentResponseHeaders(response.headers).requirements.price, price);
    }
    assert.equal(t.storedProof(channel), undefined);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
  });
});

describe("paywall: a failing handler charges nothing", () => {
  it("does not charge for /articles/999 (404 before paying)", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const response = await t.pay("/articles/999", payment);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get(headerNames.senderBalance), null);
    assert.deepEqual(t.storedProofs(), []);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
  });

  /** A small app whose paid handler fails in `mode` the first time. */
  function failingApp(t: TestReceiver, mode: "throw" | "500" | "404") {
    const app = new Hono();
    app.onError((_error, c) => c.text("Internal Server Error", 500));
    let failures = 0;
    app.get("/paid", paywall({ receiver: t.receiver, price }), (c) => {
      if (failures++ === 0) {
        if (mode === "throw") throw new Error("handler exploded");
        return c.text("upstream broke", mode === "500" ? 500 : 404);
      }
      return c.text("paid content");
    });
    return app;
  }

  for (const mode of ["throw", "500", "404"] as const) {
    it(`does not charge when the handler ${mode === "throw" ? "throws" : `returns ${mode}`}`, async () => {
      const t = createTestReceiver();
      const app = failingApp(t, mode);
      const channel = t.openChannel();
      const payment = await t.sign(channel, price);
      const failed = await app.request("/paid", { headers: t.paymentHeaders(payment) });
      assert.equal(failed.status, mode === "404" ? 404 : 500);
      assert.equal(failed.headers.get(headerNames.senderBalance), null);
      assert.deepEqual(t.storedProofs(), []);
      assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.balance, 0n);
      // The same payment (same balance) now succeeds, and is charged exactly once.
      const ok = await app.request("/paid", { headers: t.paymentHeaders(payment) });
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), "paid content");
      assert.equal(ok.headers.get(headerNames.senderBalance), price.toString());
      assert.equal(t.storedProof(channel)?.balance, price);
    });
  }

  it("does not serve the paid content when the proof cannot be stored", async (context) => {
    const logged = context.mock.method(console, "error", () => {});
    const inner = sqliteStore(":memory:");
    let broken = true;
    const store: ProofStore = {
      ...inner,
      saveProofs(proofs) {
        if (broken) throw new Error("disk full");
        inner.saveProofs(proofs);
      },
    };
    const t = createTestReceiver({ store });
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const response = await t.pay("/articles/1", payment);
    assert.equal(response.status, 500);
    assert.ok(!(await response.text()).includes(article1.title), "no paid content without a stored proof");
    assert.deepEqual(t.storedProofs(), []);
    assert.ok(logged.mock.callCount() >= 1, "the error is logged");
    logged.mock.restore();
    broken = false;
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    assert.equal(t.storedProof(channel)?.balance, price);
  });
});

describe("paywall: concurrent payments on one channel", () => {
  it("accepts 20 concurrent payments sent in shuffled order, charging each exactly once", async () => {
    // A generous reorder window so a slow machine cannot turn "waits for its predecessor" into a refusal (it is
    // not a timing assertion: with every predecessor on its way, no payment waits for the window to run out).
    const t = createTestReceiver({ reorderWindowMs: 3_000 });
    const channel = t.openChannel({ deposit: parseEther("1") });
    // Warm up (the first proof of a signer is recovered and its key precomputed) on another channel of the sender.
    const warmUp = t.openChannel({ sender: channel.sender });
    assert.equal((await t.signAndPay("/articles/1", warmUp, price)).status, 200);
    const payments = await Promise.all(Array.from({ length: 20 }, (_, i) => t.sign(channel, price * BigInt(i + 1))));
    const order = shuffled(payments);
    assert.notDeepEqual(
      order.map((p) => p.balance),
      payments.map((p) => p.balance),
    );
    const responses = await Promise.all(order.map((payment) => t.pay("/articles/1", payment)));
    assert.deepEqual(
      responses.map((r) => r.status),
      order.map(() => 200),
    );
    // Each response reports its own payment's balance.
    assert.deepEqual(
      responses.map((r) => r.headers.get(headerNames.senderBalance)),
      order.map((p) => p.balance.toString()),
    );
    const last = payments[19];
    const { committedAt: _, ...stored } = t.storedProof(channel) ?? assert.fail("no stored proof");
    assert.deepEqual(stored, {
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance: 20n * price,
      signature: last?.signature,
      request: "GET /articles/1",
    });
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.balance, 20n * price);
  });

  it("charges the same proof sent three times concurrently once: the first pays, one repeat is served, one refused", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    // None of the answers is read before all three are in: the first one's delivery is not known yet, so one
    // repeat is served (free), and only one (the retry rule of the protocol README).
    const responses = await Promise.all([1, 2, 3].map(() => t.pay("/articles/1", payment)));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 402]);
    const refused = responses.find((r) => r.status === 402);
    assert.ok(refused);
    await assertRefused(refused, "invalid_amount");
    assert.equal(t.storedProof(channel)?.balance, price);
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.balance, price);
  });

  it("keeps concurrent payments on different channels independent", async () => {
    const t = createTestReceiver();
    const channels = Array.from({ length: 5 }, () => t.openChannel());
    const responses = await Promise.all(channels.map(async (channel) => t.signAndPay("/articles/1", channel, price)));
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(t.storedProofs().length, 5);
  });
});

/** The attributes of the 402 page's paywall element, read the way a browser would give them to the widget. */
function paywallElement(page: string): AttributeReader {
  const tag = /<section id="micro-raiden-paywall"([^>]*)>/.exec(page)?.[1] ?? assert.fail("no paywall element");
  const attributes = new Map([...tag.matchAll(/\s([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
  return { getAttribute: (name) => attributes.get(name) ?? null };
}
