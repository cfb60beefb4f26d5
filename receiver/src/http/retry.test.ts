// The retry rule (protocol README): a request whose payment was committed but whose answer never arrived is retried
// by the client with the same proof; the receiver serves it again without a second charge — for the same request,
// within the repeat window, while its answer is not known to have been delivered, and once. Anything else keeps
// being refused, so a repeat is never a way to get paid content (or a paid POST's effect) over and over.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { headerNames } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { sqliteStore } from "../store/sqliteStore.ts";
import { ticketCookieName } from "./navigationTickets.ts";
import { paywall } from "./paywall.ts";
import { articles, createTestReceiver, decodeFailure, tempDirectory } from "./testReceiver.test-helper.ts";

const price = articles[0].price;

async function expectInvalidAmount(response: Response, echoed: bigint) {
  assert.equal(response.status, 402);
  const { failure, echo } = await decodeFailure(response);
  assert.equal(failure?.code, "invalid_amount");
  assert.equal(echo?.balance, echoed, "the echo tells the client what the receiver holds");
}

describe("retries of a payment whose answer was cut off", () => {
  it("serves the same request again once, without charging, while its answer was not delivered", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const first = await t.pay("/articles/1", payment);
    assert.equal(first.status, 200);
    // The answer is lost on the way (its body is never read): the client retries with the very same proof.
    const retry = await t.pay("/articles/1", payment);
    assert.equal(retry.status, 200);
    assert.equal(retry.headers.get(headerNames.senderBalance), price.toString(), "the echo acknowledges the payment");
    assert.ok((await retry.text()).includes(articles[0].title), "the paid content");
    assert.equal(t.storedProof(channel)?.balance, price, "charged once");
    // Only once: a third copy is refused, whatever happened to the second answer.
    await expectInvalidAmount(await t.pay("/articles/1", payment), price);
    // The next payment goes on from the one charge.
    assert.equal((await t.signAndPay("/articles/2", channel, price + articles[1].price)).status, 200);
  });

  it("refuses a repeat once the answer was delivered in full", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const first = await t.pay("/articles/1", payment);
    await first.text();
    await expectInvalidAmount(await t.pay("/articles/1", payment), price);
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses the same proof for another resource, another query or another method", async () => {
    const t = createTestReceiver();
    const app = new Hono();
    app.all("/action", paywall({ receiver: t.receiver, price }), (c) => c.text(`did ${c.req.method}`));
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    await expectInvalidAmount(await t.pay("/articles/2", payment), price);
    await expectInvalidAmount(await t.pay("/articles/1?page=2", payment), price);
    const post = await app.request("/action", { method: "POST", headers: t.paymentHeaders(payment) });
    await expectInvalidAmount(post, price);
    // The refusals consumed nothing: the right request is still served once.
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
  });

  it("runs a paid POST's handler at most twice for one payment (the cut-off answer and one repeat)", async () => {
    const t = createTestReceiver();
    let effects = 0;
    const app = new Hono();
    app.post("/order", paywall({ receiver: t.receiver, price }), (c) => {
      effects++;
      return c.text("ordered");
    });
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const send = () => app.request("/order", { method: "POST", headers: t.paymentHeaders(payment) });
    assert.equal((await send()).status, 200);
    assert.equal((await send()).status, 200);
    for (let i = 0; i < 5; i++) await expectInvalidAmount(await send(), price);
    assert.equal(effects, 2);
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("refuses a repeat after the repeat window", async () => {
    let now = 1_000_000;
    const t = createTestReceiver({ repeatWindowMs: 30_000, now: () => now });
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    now += 30_001;
    await expectInvalidAmount(await t.pay("/articles/1", payment), price);
  });

  it("keeps the repeat available across a restart: a crash after the commit loses the delivery mark, not the payment", async () => {
    const dir = tempDirectory();
    after(dir.cleanup);
    const path = join(dir.path, "receiver.db");
    const store = sqliteStore(path);
    const first = createTestReceiver({ store });
    const channel = first.openChannel();
    const payment = await first.sign(channel, price);
    const answered = await first.pay("/articles/1", payment);
    assert.equal(answered.status, 200);
    await answered.text();
    store.close();

    // A new process on the same database: the delivery mark was memory only, so the one repeat is allowed again
    // (the receiver cannot know whether the answer went out before the crash).
    const reopened = sqliteStore(path);
    after(() => reopened.close());
    const second = createTestReceiver({ store: reopened, account: first.account });
    const retry = await second.pay("/articles/1", payment);
    assert.equal(retry.status, 200);
    await retry.text();
    await expectInvalidAmount(await second.pay("/articles/1", payment), price);
    assert.equal(second.storedProof(channel)?.balance, price, "charged once");
  });

  it("does not consume the repeat when the handler fails, and never charges a failed handler", async () => {
    const t = createTestReceiver();
    let fail = false;
    const app = new Hono();
    app.get("/flaky", paywall({ receiver: t.receiver, price }), (c) => (fail ? c.text("broken", 500) : c.text("ok")));
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const send = () => app.request("/flaky", { headers: t.paymentHeaders(payment) });
    assert.equal((await send()).status, 200);
    fail = true;
    assert.equal((await send()).status, 500);
    fail = false;
    assert.equal((await send()).status, 200, "the repeat is still there after a failed attempt");
    await expectInvalidAmount(await send(), price);
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("delivers a payment asking for a navigation ticket at most twice, whatever is tried after it", async () => {
    const ask = { [headerNames.navigationTicket]: "1" };
    // The attempts after the paid answer, in both orders: retry the proof first, or redeem the ticket first.
    for (const order of [
      ["repeat", "redeem", "repeat", "redeem"],
      ["redeem", "repeat", "redeem", "repeat"],
    ] as const) {
      const t = createTestReceiver();
      const channel = t.openChannel();
      const payment = await t.sign(channel, price);
      const tickets: string[] = [];
      let deliveries = 0;
      const count = (response: Response) => {
        const ticket = new RegExp(`^${ticketCookieName}=([^;]+)`).exec(response.headers.get("set-cookie") ?? "")?.[1];
        if (ticket) tickets.push(ticket);
        if (response.status === 200) deliveries++;
      };
      // The paid answer's body is never read, so it does not count as delivered: the repeat stays open.
      count(await t.pay("/articles/1", payment, ask));
      for (const attempt of order) {
        if (attempt === "repeat") count(await t.pay("/articles/1", payment, ask));
        for (const ticket of attempt === "redeem" ? tickets.splice(0) : []) {
          count(await t.app.request("/articles/1", { headers: { cookie: `${ticketCookieName}=${ticket}` } }));
        }
      }
      assert.equal(deliveries, 2, `${order.join(", ")}: the paid answer and one more`);
      assert.equal(t.storedProof(channel)?.balance, price, "charged once");
    }
  });
});
