// The web-client paying a receiver whose PostgreSQL database goes down under a payment: the receiver answers 503
// store_unavailable with Retry-After, the client sends the very same proof again after it, and once the database is
// back the payment is served and charged once — the caller sees one 200 and nothing else.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  createChannelClient,
  fetchWithPayment,
  memoryLock,
  memoryStorage,
  openChannel,
} from "@micro-raiden/web-client";
import { headerNames } from "@micro-raiden/web-client/protocol";
import type { Hono } from "hono";
import { http, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type Receiver, receiverApp, startReceiver } from "./index.ts";
import { postgresStore } from "./store/postgresStore.ts";
import { createDatabaseOn } from "./store/testing/createTestDatabase.test-helper.ts";
import { type PostgresCluster, startPostgresCluster } from "./store/testing/startPostgresCluster.test-helper.ts";

const price = parseEther("0.001");

let chain: TestChain;
// A cluster of its own: this test stops it, which the run's shared cluster must never be.
let cluster: PostgresCluster;
let databaseUrl: string;
let receiver: Receiver;
let app: Hono;

before(async () => {
  [chain, cluster] = await Promise.all([startTestChain(), startPostgresCluster()]);
  databaseUrl = (await createDatabaseOn(cluster.url)).url;
  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail("no key")),
    databaseUrl,
    pollIntervalMs: 50,
    log: () => {},
  });
  app = receiverApp({
    receiver,
    routes: (routes, { paywall }) => routes.get("/report", paywall({ price }), (c) => c.text("the paid report")),
  });
});
after(async () => {
  await receiver?.close();
  await chain?.close();
  await cluster?.stop();
});

describe("the web-client and a receiver whose database restarts", () => {
  it("sends a payment answered 503 again after Retry-After, the same proof, and it is charged once", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.testClient.setBalance({ address: account.address, value: parseEther("10") });
    await chain.mint(account.address, parseEther("1"));
    // The client's requests go to the receiver's app; the paid ones are noted with what they carried.
    const paidAnswers: { status: number; proof: string }[] = [];
    const client = createChannelClient({
      account,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
      lock: memoryLock(),
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const response = await app.request(request);
        const balance = request.headers.get(headerNames.balance);
        const signature = request.headers.get(headerNames.balanceSignature);
        if (balance !== null) paidAnswers.push({ status: response.status, proof: `${balance}:${signature}` });
        return response;
      },
    });
    const channel = await openChannel(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver: receiver.address,
      deposit: parseEther("1"),
    });
    await receiver.sync();
    const url = "http://receiver.test/report";
    assert.equal((await fetchWithPayment(client, { input: url })).status, 200, "paid while the database is up");

    let paying: Promise<Response> | undefined;
    await cluster.restart(async () => {
      paying = fetchWithPayment(client, { input: url });
      const deadline = Date.now() + 10_000;
      while (!paidAnswers.some((answer) => answer.status === 503)) {
        assert.ok(Date.now() < deadline, "the payment sent while the database is down is answered 503");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const response = await (paying ?? assert.fail("no payment"));
    assert.equal(response.status, 200, "served once the database is back, without the caller doing anything");
    assert.equal(await response.text(), "the paid report");

    const second = paidAnswers.slice(1);
    assert.equal(second[0]?.status, 503);
    assert.equal(second.at(-1)?.status, 200);
    assert.equal(new Set(second.map((answer) => answer.proof)).size, 1, "every attempt carried the one proof");
    assert.ok(second[0]?.proof.startsWith(`${2n * price}:`), "for the second payment's balance");
    assert.equal((await client.storage.get(channel))?.balance, 2n * price);
    const store = await postgresStore(databaseUrl);
    try {
      const { current } = await store.channelState(account.address, channel.openBlock);
      assert.equal(current?.balance, 2n * price, "the database holds the two payments, each once");
    } finally {
      await store.close();
    }
  });
});
