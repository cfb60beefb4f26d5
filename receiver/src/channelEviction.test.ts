// The channel book keeps a bounded number of channels in memory and reads the others from the store when a request
// names them. A channel evicted and read again must be paid exactly as if it had stayed: its balance goes on from the
// stored proof, a proof is charged once, and the one free delivery a cut-off payment has (a repeat of its request, or
// its navigation ticket's reload) is not granted again because the channel left memory — on SQLite, where those
// marks live in memory, and on PostgreSQL, where the database holds them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  decodePaymentResponseHeaders,
  encodePaymentHeaders,
  headerNames,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { type Hex, parseEther, toHex } from "viem";
import { ticketCookieName } from "./http/navigationTickets.ts";
import { articles, createTestReceiver, decodeFailure } from "./http/testReceiver.test-helper.ts";
import { paywall, type Receiver, receiverApi, startReceiver } from "./index.ts";
import { type FreshChannel, openFreshChannel } from "./openFreshChannel.test-helper.ts";
import { postgresStore } from "./store/postgresStore.ts";
import { createTestDatabase, type TestDatabase } from "./store/testing/createTestDatabase.test-helper.ts";

async function expectRefused(response: Response, held: bigint) {
  assert.equal(response.status, 402);
  const { failure, echo } = await decodeFailure(response);
  assert.equal(failure?.code, "invalid_amount");
  assert.equal(echo?.balance, held);
}

describe("SQLite: a channel evicted from the book", () => {
  const price = articles[0].price;

  /** A receiver whose book holds one channel, channel a, and `evictA`: a payment on b, read in full, takes its place. */
  function bookOfOne() {
    const t = createTestReceiver({ maxChannels: 1 });
    const a = t.openChannel();
    const b = t.openChannel();
    let bBalance = 0n;
    const evictA = async () => {
      bBalance += price;
      const paid = await t.signAndPay("/articles/1", b, bBalance);
      assert.equal(paid.status, 200);
      await paid.text();
      assert.equal(t.core.book.peek(a.sender.address, a.openBlock), undefined, "a left memory");
    };
    return { t, a, evictA };
  }

  it("keeps its one free repeat used, charges once, and pays on from its stored balance", async () => {
    const { t, a, evictA } = bookOfOne();
    const payment = await t.sign(a, price);
    // The answer is cut off (its body never read): the client may repeat it once.
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    await evictA();
    assert.equal((await t.pay("/articles/1", payment)).status, 200, "the one repeat, after a was read again");
    await evictA();
    await expectRefused(await t.pay("/articles/1", payment), price);
    await evictA();
    // The same proof for another resource is no payment either.
    await expectRefused(await t.pay("/articles/2", payment), price);
    await evictA();
    const next = await t.signAndPay("/articles/1", a, 2n * price);
    assert.equal(next.status, 200);
    assert.equal(t.storedProof(a)?.balance, 2n * price, "charged twice in all, for two payments");
  });

  it("delivers a payment asking for a navigation ticket at most twice across evictions", async () => {
    const { t, a, evictA } = bookOfOne();
    const payment = await t.sign(a, price);
    const ask = { [headerNames.navigationTicket]: "1" };
    const first = await t.pay("/articles/1", payment, ask);
    assert.equal(first.status, 200);
    const ticket = new RegExp(`^${ticketCookieName}=([^;]+)`).exec(first.headers.get("set-cookie") ?? "")?.[1];
    assert.ok(ticket, "a ticket was issued");
    await evictA();
    const reload = await t.app.request("/articles/1", { headers: { cookie: `${ticketCookieName}=${ticket}` } });
    assert.equal(reload.status, 200, "the ticket's reload");
    await evictA();
    await expectRefused(await t.pay("/articles/1", payment, ask), price);
    assert.equal(t.storedProof(a)?.balance, price);
  });
});

describe("PostgreSQL: a channel evicted from the book", () => {
  const price = parseEther("0.001");
  let chain: TestChain;
  let database: TestDatabase;
  let receiver: Receiver | undefined;
  let app: Hono;

  before(async () => {
    [chain, database] = await Promise.all([startTestChain(), createTestDatabase()]);
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail("no key")),
      databaseUrl: database.url,
      pollIntervalMs: 50,
      maxChannels: 1,
      log: () => {},
    });
    app = new Hono();
    app.route(receiver.gatewayPath, receiverApi({ receiver }));
    for (const path of ["/a", "/b"]) app.get(path, paywall({ receiver, price }), (c) => c.text(`paid ${path}`));
  });
  after(async () => {
    await receiver?.close();
    await chain?.close();
    await database?.drop();
  });

  async function pay(channel: FreshChannel, balance: bigint, path: string, cutOff = false) {
    const signature: Hex = await channel.sender.signTypedData(
      balanceProofTypedData(
        { chainId: chain.deployment.chainId, contract: chain.deployment.channelManager },
        { sender: channel.sender.address, receiver: receiver?.address ?? "0x", openBlock: channel.openBlock, balance },
      ),
    );
    const headers = encodePaymentHeaders({
      contract: chain.deployment.channelManager,
      receiver: receiver?.address ?? "0x",
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance,
      signature,
    });
    const response = await app.request(path, { headers });
    if (!cutOff) await response.text();
    return response;
  }

  it("keeps its one free repeat used, charges once, and pays on from its stored balance", async () => {
    const active = receiver ?? assert.fail("no receiver");
    const a = await openFreshChannel(chain, active.address);
    const b = await openFreshChannel(chain, active.address);
    await active.sync();
    let bBalance = 0n;
    const evictA = async () => {
      bBalance += price;
      assert.equal((await pay(b, bBalance, "/a")).status, 200);
    };
    assert.equal((await pay(a, price, "/a", true)).status, 200);
    await evictA();
    assert.equal((await pay(a, price, "/a", true)).status, 200, "the one repeat, after a was read again");
    await evictA();
    const again = await pay(a, price, "/a", true);
    assert.equal(again.status, 402);
    assert.equal(decodePaymentResponseHeaders(again.headers).echo?.balance, price);
    await evictA();
    assert.equal((await pay(a, price, "/b")).status, 402, "the same proof for another resource");
    await evictA();
    assert.equal((await pay(a, 2n * price, "/b")).status, 200);
    const store = await postgresStore(database.url);
    try {
      assert.equal((await store.channelState(a.sender.address, a.openBlock)).current?.balance, 2n * price);
    } finally {
      await store.close();
    }
  });
});
