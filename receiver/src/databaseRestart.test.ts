// PostgreSQL restarted under load, below two receivers on a real chain: while it is down they answer 503 with
// Retry-After (never a 500, never a payment taken without its proof stored), /readyz says so, and they recover by
// themselves once it is back.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { balanceProofTypedData, encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
import type { Hono } from "hono";
import postgres from "postgres";
import { parseEther, toHex } from "viem";
import { type Receiver, receiverApp, startReceiver } from "./index.ts";
import { openFreshChannel } from "./openFreshChannel.test-helper.ts";
import { postgresStore } from "./store/postgresStore.ts";
import { type PostgresCluster, startPostgresCluster } from "./store/testing/startPostgresCluster.test-helper.ts";

const price = parseEther("0.001");

let chain: TestChain;
// A cluster of its own: this test stops it, which the run's shared cluster must never be.
let cluster: PostgresCluster;
let databaseUrl: string;
const receivers: Receiver[] = [];
const apps: Hono[] = [];

before(async () => {
  [chain, cluster] = await Promise.all([startTestChain(), startPostgresCluster()]);
  const name = `restart_${randomBytes(6).toString("hex")}`;
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  databaseUrl = url.href;
  const privateKey = toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail("no key"));
  for (let i = 0; i < 2; i++) {
    const receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey,
      databaseUrl,
      pollIntervalMs: 50,
      log: () => {},
    });
    receivers.push(receiver);
    apps.push(
      receiverApp({
        receiver,
        routes: (app, { paywall }) => app.get("/report", paywall({ price }), (c) => c.text("the paid report")),
      }),
    );
  }
});
after(async () => {
  for (const receiver of receivers) await receiver.close();
  await chain?.close();
  await cluster?.stop();
});

const app = (index: number): Hono => apps[index % apps.length] ?? assert.fail("no app");

describe("PostgreSQL restarted under load", () => {
  it("answers 503 with Retry-After while it is down, charges each acknowledged payment once, and recovers", async () => {
    const receiverAddress = receivers[0]?.address ?? assert.fail("no receiver");
    const senders = [];
    for (let i = 0; i < 4; i++) {
      const { sender, openBlock } = await openFreshChannel(chain, receiverAddress);
      senders.push({ account: sender, openBlock });
    }
    await Promise.all(receivers.map((r) => r.sync()));

    const statuses = new Map<number, number>();
    let down = false;
    let downAnswers = 0;
    let stop = false;
    const lastAcknowledged = new Map<string, bigint>();
    const load = senders.map(async (sender, senderIndex) => {
      let balance = 0n;
      let n = senderIndex;
      while (!stop) {
        const next = balance + price;
        const signature = await sender.account.signTypedData(
          balanceProofTypedData(
            { chainId: chain.deployment.chainId, contract: chain.deployment.channelManager },
            { sender: sender.account.address, receiver: receiverAddress, openBlock: sender.openBlock, balance: next },
          ),
        );
        const headers = encodePaymentHeaders({
          contract: chain.deployment.channelManager,
          receiver: receiverAddress,
          sender: sender.account.address,
          openBlock: sender.openBlock,
          balance: next,
          signature,
        });
        // The same proof until it is answered 200: a 503 may have stored it, and its retry is then served free.
        const response = await app(n++).request("/report", { headers });
        const body = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (down) downAnswers++;
        if (response.status === 200) {
          assert.equal(body, "the paid report");
          balance = next;
          lastAcknowledged.set(sender.account.address, balance);
        } else {
          assert.equal(response.status, 503, `only 200 or 503, got ${response.status}: ${body}`);
          assert.ok(Number(response.headers.get("retry-after")) > 0, "503 says when to retry");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    await cluster.restart(async () => {
      down = true;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const ready = await app(0).request("/readyz");
      assert.equal(ready.status, 503, "not ready while the database is down");
      assert.equal((await app(1).request("/healthz")).status, 200, "alive all the same");
      down = false;
    });
    // Back: every sender is served again, by itself.
    const acknowledgedAtRestart = new Map(lastAcknowledged);
    const deadline = Date.now() + 20_000;
    while (
      senders.some(
        (s) => (lastAcknowledged.get(s.account.address) ?? 0n) <= (acknowledgedAtRestart.get(s.account.address) ?? 0n),
      )
    ) {
      assert.ok(Date.now() < deadline, "every sender pays again after the restart");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stop = true;
    await Promise.all(load);

    assert.ok(downAnswers > 0, "requests came in while the database was down");
    assert.ok((statuses.get(503) ?? 0) > 0, `some answered 503: ${JSON.stringify([...statuses])}`);
    for (const index of [0, 1]) {
      const readyBy = Date.now() + 10_000;
      while ((await app(index).request("/readyz")).status !== 200) {
        assert.ok(Date.now() < readyBy, `receiver ${index} is ready again`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const store = await postgresStore(databaseUrl);
    try {
      for (const sender of senders) {
        const { current } = await store.channelState(sender.account.address, sender.openBlock);
        assert.equal(
          current?.balance,
          lastAcknowledged.get(sender.account.address),
          "the database holds exactly the payments acknowledged",
        );
      }
    } finally {
      await store.close();
    }
  });
});
