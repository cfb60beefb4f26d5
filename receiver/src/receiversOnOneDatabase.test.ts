// Several receivers on one PostgreSQL database (the run's throwaway cluster) and one real chain: each payment is
// charged once whichever receiver takes it, and what one receiver decided binds the others.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  closeRequestTypedData,
  decodeErrorBody,
  decodePaymentResponseHeaders,
  encodeCloseRequestBody,
  encodePaymentHeaders,
  headerNames,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { type Hex, parseEther, toHex } from "viem";
import { paywall, type Receiver, receiverApi, startReceiver } from "./index.ts";
import { type FreshChannel, openFreshChannel } from "./openFreshChannel.test-helper.ts";
import { postgresStore } from "./store/postgresStore.ts";
import { createTestDatabase, type TestDatabase } from "./store/testing/createTestDatabase.test-helper.ts";

const price = parseEther("0.001");

let chain: TestChain;
let database: TestDatabase;
/** Three receivers of one site (one key), each its own instance with its own channel book, on one database. */
let receivers: Receiver[] = [];
let apps: Hono[] = [];

before(async () => {
  [chain, database] = await Promise.all([startTestChain(), createTestDatabase()]);
  const privateKey = toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail("no key"));
  // One after the other: the first migrates, the others find the schema (starting at once is postgresStore.test's).
  for (let i = 0; i < 3; i++) {
    receivers.push(
      await startReceiver({
        rpcUrl: chain.rpcUrl,
        deployment: chain.deployment,
        privateKey,
        databaseUrl: database.url,
        pollIntervalMs: 50,
        log: () => {},
      }),
    );
  }
  apps = receivers.map(siteOn);
});
after(async () => {
  for (const receiver of receivers) await receiver.close();
  receivers = [];
  await chain?.close();
  await database?.drop();
});

/** A site on one receiver: paid `/a`, `/b`, `/c` at `price`, and the REST API. */
function siteOn(receiver: Receiver): Hono {
  const app = new Hono();
  app.route(receiver.gatewayPath, receiverApi({ receiver }));
  for (const path of ["/a", "/b", "/c"]) {
    app.get(path, paywall({ receiver, price }), (c) => c.text(`paid ${path}`));
  }
  return app;
}

const app = (index: number): Hono => apps[index] ?? assert.fail(`no receiver ${index}`);
const receiverAt = (index: number): Receiver => receivers[index] ?? assert.fail(`no receiver ${index}`);

type Channel = FreshChannel;

/** A fresh sender's channel, once every receiver takes payments on it. */
async function openChannel(): Promise<Channel> {
  const { sender, openBlock } = await openFreshChannel(chain, receiverAt(0).address);
  // Followers learn the channel from the database the leader writes: wait until every receiver takes payments on it.
  await Promise.all(receivers.map((r) => r.sync()));
  await waitFor(async () => receivers.every((r) => r.getChannel(sender.address, openBlock)?.state === "open"));
  return { sender, openBlock };
}

function sign(channel: Channel, balance: bigint): Promise<Hex> {
  return channel.sender.signTypedData(
    balanceProofTypedData(
      { chainId: chain.deployment.chainId, contract: chain.deployment.channelManager },
      { sender: channel.sender.address, receiver: receiverAt(0).address, openBlock: channel.openBlock, balance },
    ),
  );
}

/**
 * GET `path` on receiver `index` paying `balance`. The body is read to its end (the answer was delivered) unless
 * `cutOff`: then the client never got it, as when a receiver crashed or the connection dropped.
 */
async function pay(index: number, channel: Channel, balance: bigint, path: string, cutOff = false) {
  const headers = encodePaymentHeaders({
    contract: chain.deployment.channelManager,
    receiver: receiverAt(0).address,
    sender: channel.sender.address,
    openBlock: channel.openBlock,
    balance,
    signature: await sign(channel, balance),
  });
  const response = await app(index).request(path, { headers });
  const body = cutOff ? "" : await response.text();
  return { status: response.status, response, body };
}

async function storedBalance(channel: Channel): Promise<bigint | undefined> {
  const store = await postgresStore(database.url);
  try {
    return (await store.channelState(channel.sender.address, channel.openBlock)).current?.balance;
  } finally {
    await store.close();
  }
}

describe("receivers sharing one PostgreSQL database", () => {
  it("takes the next payment on a receiver whose memory is behind another's", async () => {
    const channel = await openChannel();
    assert.equal((await pay(0, channel, price, "/a")).status, 200);
    // Receiver 1 never saw the first payment: it reads the channel from the database instead of refusing the amount.
    assert.equal((await pay(1, channel, 2n * price, "/b")).status, 200);
    assert.equal((await pay(2, channel, 3n * price, "/c")).status, 200);
    assert.equal((await pay(0, channel, 4n * price, "/a")).status, 200);
    assert.equal(await storedBalance(channel), 4n * price);
  });

  it("never accepts a proof another receiver took for another request: 402 with the balance held, then pays on", async () => {
    const channel = await openChannel();
    assert.equal((await pay(0, channel, price, "/a")).status, 200);
    // The same proof (balance `price`) for another resource on receiver 1, whose memory still says 0: the
    // compare-and-set loses to receiver 0's commit, and nothing is delivered for it.
    const stale = await pay(1, channel, price, "/b");
    assert.equal(stale.status, 402);
    assert.doesNotMatch(stale.body, /paid/);
    const { echo, failure } = decodePaymentResponseHeaders(stale.response.headers);
    assert.equal(failure?.code, "invalid_amount");
    assert.equal(echo?.balance, price, "the balance the database holds");
    assert.equal(receiverAt(1).getChannel(channel.sender.address, channel.openBlock)?.balance, price);
    // The client pays again, normally, on the balance echoed.
    assert.equal((await pay(1, channel, 2n * price, "/b")).status, 200);
    assert.equal(await storedBalance(channel), 2n * price);
  });

  it("charges one of two payments of one balance sent to two receivers at once", async () => {
    const channel = await openChannel();
    for (let round = 1n; round <= 10n; round++) {
      const balance = round * price;
      const answers = await Promise.all([pay(0, channel, balance, "/a"), pay(1, channel, balance, "/b")]);
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [200, 402],
        `round ${round}: exactly one of the two is served`,
      );
      assert.equal(await storedBalance(channel), balance);
    }
  });

  it("serves the retry of an undelivered payment once, free, on another receiver — and no more", async () => {
    const channel = await openChannel();
    assert.equal((await pay(0, channel, price, "/a", true)).status, 200);
    // The answer was cut off; the client retries the same proof and lands on receiver 1.
    const retry = await pay(1, channel, price, "/a");
    assert.equal(retry.status, 200);
    assert.equal(retry.body, "paid /a");
    assert.equal(await storedBalance(channel), price, "the repeat charged nothing");
    // Its one repeat is used: neither receiver serves it again.
    assert.equal((await pay(0, channel, price, "/a")).status, 402);
    assert.equal((await pay(2, channel, price, "/a")).status, 402);

    // A delivered payment is not repeated on another receiver.
    assert.equal((await pay(2, channel, 2n * price, "/b")).status, 200);
    await waitFor(async () => (await deliveredAt(channel)) === 2n * price);
    assert.equal((await pay(0, channel, 2n * price, "/b")).status, 402);
    assert.equal(await storedBalance(channel), 2n * price);
  });

  it("refuses payments on every receiver once one handed out a closing signature", async () => {
    const channel = await openChannel();
    assert.equal((await pay(0, channel, price, "/a")).status, 200);
    const balanceSignature = await sign(channel, price);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 600);
    const closeRequestSignature = await channel.sender.signTypedData(
      closeRequestTypedData(
        { chainId: chain.deployment.chainId, contract: chain.deployment.channelManager },
        {
          sender: channel.sender.address,
          receiver: receiverAt(0).address,
          openBlock: channel.openBlock,
          balance: price,
          deadline,
        },
      ),
    );
    const close = await app(0).request(`/api/1/channels/${channel.sender.address}/${channel.openBlock}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        encodeCloseRequestBody({ balance: price, balanceSignature, deadline, closeRequestSignature }),
      ),
    });
    assert.equal(close.status, 200);
    // Receiver 1 has not heard of the close: the database's mark refuses the payment, uncharged.
    const after = await pay(1, channel, 2n * price, "/b");
    assert.equal(after.status, 402);
    assert.equal(decodeErrorBody(JSON.parse(after.body)).error.code, "nonexisting_channel");
    assert.equal(await storedBalance(channel), price);
    assert.equal((await pay(2, channel, 2n * price, "/c")).status, 402);
  });

  it("honours a navigation ticket one receiver issued on another, once", async () => {
    const channel = await openChannel();
    const headers = {
      ...encodePaymentHeaders({
        contract: chain.deployment.channelManager,
        receiver: receiverAt(0).address,
        sender: channel.sender.address,
        openBlock: channel.openBlock,
        balance: price,
        signature: await sign(channel, price),
      }),
      [headerNames.navigationTicket]: "1",
    };
    const paid = await app(0).request("/a", { headers });
    assert.equal(paid.status, 200);
    await paid.text();
    const cookie = (paid.headers.get("set-cookie") ?? assert.fail("no ticket")).split(";")[0] ?? "";
    // The reload lands on another receiver: it serves the paid page once, without a payment.
    const reload = await app(1).request("/a", { headers: { cookie } });
    assert.equal(reload.status, 200);
    assert.equal(await reload.text(), "paid /a");
    assert.equal((await app(2).request("/a", { headers: { cookie } })).status, 402, "a ticket is used once");
    assert.equal((await app(0).request("/a", { headers: { cookie } })).status, 402);
    assert.equal(await storedBalance(channel), price, "the reload charged nothing");
  });

  for (const count of [2, 3]) {
    it(`charges every acknowledged request exactly once: 12 senders over ${count} receivers`, async () => {
      const channels: Channel[] = [];
      // One at a time: the deployer mints for each, one nonce after the other.
      for (let i = 0; i < 12; i++) channels.push(await openChannel());
      const paths = ["/a", "/b", "/c"];
      const charged = new Map<Channel, bigint>();
      const lastServed = new Map<Channel, bigint>();
      await Promise.all(
        channels.map(async (channel, senderIndex) => {
          let balance = 0n;
          let served = 0n;
          for (let n = 0; n < 12; n++) {
            const next = balance + price;
            const first = (senderIndex + n) % count;
            // Every third payment goes to two receivers at once, for two different requests.
            const targets = n % 3 === 0 ? [first, (first + 1) % count] : [first];
            const answers = await Promise.all(
              targets.map((index, k) => pay(index, channel, next, paths[(n + k) % paths.length] ?? "/a")),
            );
            const ok = answers.filter((a) => a.status === 200);
            assert.ok(ok.length <= 1, "one proof, at most one paid answer");
            for (const answer of answers) {
              if (answer.status === 200) continue;
              assert.equal(answer.status, 402, answer.body);
              // A refusal echoes what the database holds: the client goes on from there.
              const { echo } = decodePaymentResponseHeaders(answer.response.headers);
              assert.equal(echo?.balance, next, "the other receiver took this balance");
            }
            if (ok.length === 1) served += price;
            balance = next;
          }
          charged.set(channel, served);
          lastServed.set(channel, balance);
        }),
      );
      for (const channel of channels) {
        const stored = await storedBalance(channel);
        assert.equal(stored, charged.get(channel), "the prices of the 200s are the balance the database holds");
        assert.equal(stored, lastServed.get(channel), "the last signed proof is the one stored");
        for (let index = 0; index < count; index++) {
          await receiverAt(index).sync();
          const known = receiverAt(index).getChannel(channel.sender.address, channel.openBlock)?.balance ?? 0n;
          assert.ok(known <= (stored ?? 0n), "no receiver believes in more than the database holds");
        }
      }
    });
  }
});

async function deliveredAt(channel: Channel): Promise<bigint | undefined> {
  const store = await postgresStore(database.url);
  try {
    const { current } = await store.channelState(channel.sender.address, channel.openBlock);
    return current?.delivered ? current.balance : undefined;
  } finally {
    await store.close();
  }
}

async function waitFor(check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail("the condition never held");
}
