// Receivers sharing one PostgreSQL database (startReceiver with databaseUrl), on a real chain: one leader reads the
// chain, the others learn channels and payments from the database.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodePaymentResponseHeaders, encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { http, type Transport } from "viem";
import type { HDAccount } from "viem/accounts";
import { startWatcherChain, TOKENS, type WatcherChain } from "../chain/watcherFixture.test-helper.ts";
import { paywall } from "../http/paywall.ts";
import { sponsoredOpenRequest } from "../http/sponsoredOpenRequest.test-helper.ts";
import { startReceiver } from "../startReceiver.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";

let fx: WatcherChain;
let database: TestDatabase;
before(async () => {
  [fx, database] = await Promise.all([startWatcherChain(), createTestDatabase()]);
});
after(async () => {
  await fx?.close();
  await database?.drop();
});

const price = TOKENS / 100n;

/** A transport to the test chain that counts the receiver's eth_getLogs calls: only a leader reads channel events. */
function countingTransport() {
  const calls = { getLogs: 0 };
  const base = http(fx.chain.rpcUrl);
  const transport: Transport = (parameters) => {
    const inner = base(parameters);
    return {
      ...inner,
      request: (async (args: { method: string }, options?: unknown) => {
        if (args.method === "eth_getLogs") calls.getLogs++;
        return (inner.request as (a: unknown, o?: unknown) => Promise<unknown>)(args, options);
      }) as typeof inner.request,
    };
  };
  return { calls, transport };
}

async function member() {
  const { calls, transport } = countingTransport();
  const receiver = await startReceiver({
    transport,
    deployment: fx.deployment,
    privateKey: fx.receiverAccountKeyHex(),
    databaseUrl: database.url,
    pollIntervalMs: 50,
    sponsor: { minDeposit: TOKENS },
    log: process.env.DEBUG_CLUSTER ? (level, message) => console.log(level, message) : () => {},
  });
  const app = new Hono();
  app.get("/report", paywall({ receiver, price }), (c) => c.text("the paid report"));
  return { receiver, calls, app };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 8000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function pay(app: Hono, sender: HDAccount, openBlock: bigint, balance: bigint) {
  const { requirements } = decodePaymentResponseHeaders((await app.request("/report")).headers);
  const signature = await fx.signProof(sender, openBlock, balance);
  const headers = encodePaymentHeaders({ ...requirements, sender: sender.address, openBlock, balance, signature });
  return app.request("/report", { headers });
}

describe("receivers sharing a database", () => {
  it("one leader reads the chain; a follower learns channels and payments from the database, and takes over", async () => {
    const [alice, bob] = fx.senders;
    await fx.mint(alice.address);
    await fx.mint(bob.address);
    const a = await member();
    const b = await member();
    const members = [a, b];
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [leader, follower] = a.calls.getLogs > 0 ? [a, b] : [b, a];
      assert.ok(leader.calls.getLogs > 0, "the leader reads the chain");
      assert.equal(follower.calls.getLogs, 0, "the follower never reads channel events from the chain");

      // A channel opened on chain: the follower knows it from what the leader stored.
      const first = await fx.open(alice, 10n * TOKENS);
      await until(() => follower.receiver.getChannel(alice.address, first)?.deposit === 10n * TOKENS, "b sees it");
      // A channel opened a moment ago, paid on the follower at once: it asks the leader to read the chain.
      const second = await fx.open(bob, 10n * TOKENS);
      assert.equal((await pay(follower.app, bob, second, price)).status, 200);
      assert.equal((await pay(leader.app, alice, first, price)).status, 200);
      assert.equal(follower.calls.getLogs, 0);

      // Each learns the other's payments: the same channels and the same totals whichever answers.
      await until(
        () =>
          leader.receiver.getChannel(bob.address, second)?.balance === price &&
          follower.receiver.getChannel(alice.address, first)?.balance === price,
        "both books hold both payments",
      );
      const { liquidBalance: _l, ...leaderStats } = await leader.receiver.getStats();
      const { liquidBalance: _f, ...followerStats } = await follower.receiver.getStats();
      assert.deepEqual(followerStats, leaderStats);
      assert.equal(leaderStats.balanceSum, 2n * price);

      // What only the leader can do (it sends transactions) works on the follower too: passed to the leader.
      const withdrawn = await follower.receiver.withdraw(1n);
      assert.deepEqual(
        withdrawn.map((r) => [r.sender, r.openBlock, r.balance, r.skipped]),
        [
          [alice.address, first, price, undefined],
          [bob.address, second, price, undefined],
        ].sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
      );
      assert.equal((await fx.channelInfo(alice.address, first)).withdrawn, price, "withdrawn on chain");
      const reader = fx.otherReceiver;
      await fx.mint(reader.address);
      const request = await sponsoredOpenRequest({
        publicClient: fx.publicClient,
        deployment: fx.deployment,
        account: reader,
        receiver: fx.receiverAccount.address,
        deposit: 2n * TOKENS,
      });
      const opened = await follower.receiver.sponsor?.open(request, "127.0.0.1");
      assert.equal(
        opened?.ok,
        true,
        JSON.stringify(opened, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      );
      assert.equal(follower.calls.getLogs, 0, "the leader sent it and read its channel");
      const sponsored = opened?.ok ? opened.openBlock : assert.fail();
      await until(() => follower.receiver.getChannel(reader.address, sponsored)?.deposit === 2n * TOKENS, "known");

      // A top-up and the sender's uncooperative close reach the follower too.
      await fx.topUp(alice, first, 5n * TOKENS);
      await until(() => follower.receiver.getChannel(alice.address, first)?.deposit === 15n * TOKENS, "top-up seen");

      // The leader stops: the follower takes over, reads the chain itself and challenges a stale close.
      await leader.receiver.close();
      members.splice(members.indexOf(leader), 1);
      await fx.mine(1);
      await until(() => follower.calls.getLogs > 0, "the follower takes over");
      assert.equal((await pay(follower.app, alice, first, 2n * price)).status, 200);
      await fx.uncooperativeClose(alice, first, price);
      await until(async () => (await fx.channelInfo(alice.address, first)).deposit === 0n, "closed at the proof");
      await until(() => follower.receiver.getChannel(alice.address, first)?.state === "settled", "settled in the book");
    } finally {
      for (const m of members) await m.receiver.close();
    }
  });
});
