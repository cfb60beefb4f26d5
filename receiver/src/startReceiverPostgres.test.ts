// startReceiver with `databaseUrl`: the same site owner's path as startReceiver.test.ts, its state in a real
// PostgreSQL database (the run's throwaway cluster) instead of a SQLite file.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  channelManagerAbi,
  decodePaymentResponseHeaders,
  demoTokenAbi,
  encodePaymentHeaders,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { createPublicClient, createWalletClient, encodePacked, http, parseEther, parseEventLogs, toHex } from "viem";
import { paywall, type Receiver, startReceiver } from "./index.ts";
import { postgresStore } from "./store/postgresStore.ts";
import { createTestDatabase, type TestDatabase } from "./store/testing/createTestDatabase.test-helper.ts";

let chain: TestChain;
let database: TestDatabase;

before(async () => {
  [chain, database] = await Promise.all([startTestChain(), createTestDatabase()]);
});
after(async () => {
  await chain?.close();
  await database?.drop();
});

function start(): Promise<Receiver> {
  return startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail("no key")),
    databaseUrl: database.url,
    pollIntervalMs: 50,
    log: () => {},
  });
}

describe("startReceiver with databaseUrl (PostgreSQL)", () => {
  it("charges a paid route, keeps the proof in the database, and knows the channel again after a restart", async () => {
    const price = parseEther("0.01");
    const sender = chain.accounts[1] ?? assert.fail("no sender");
    let receiver = await start();
    try {
      await chain.mint(sender.address, parseEther("1"));
      const transport = http(chain.rpcUrl);
      const hash = await createWalletClient({ account: sender, transport }).writeContract({
        chain: null,
        address: chain.deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [chain.deployment.channelManager, parseEther("1"), encodePacked(["address"], [receiver.address])],
      });
      const receipt = await createPublicClient({ transport }).waitForTransactionReceipt({ hash });
      const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
      const openBlock = created?.args.openBlock ?? assert.fail("no channel");

      const pay = async (current: Receiver, balance: bigint) => {
        const app = new Hono();
        app.get("/report", paywall({ receiver: current, price }), (c) => c.text("the paid report"));
        const { requirements } = decodePaymentResponseHeaders((await app.request("/report")).headers);
        const signature = await sender.signTypedData(
          balanceProofTypedData(
            { chainId: requirements.chainId, contract: requirements.contract },
            { sender: sender.address, receiver: requirements.receiver, openBlock, balance },
          ),
        );
        const headers = encodePaymentHeaders({
          ...requirements,
          sender: sender.address,
          openBlock,
          balance,
          signature,
        });
        return app.request("/report", { headers });
      };

      assert.equal((await pay(receiver, price)).status, 200);
      const store = await postgresStore(database.url);
      try {
        assert.deepEqual(
          (await store.loadProofs()).map((p) => [p.sender, p.openBlock, p.balance, p.request]),
          [[sender.address, openBlock, price, "GET /report"]],
        );
      } finally {
        await store.close();
      }

      await receiver.close();
      receiver = await start();
      assert.equal(
        receiver.getChannel(sender.address, openBlock)?.balance,
        price,
        "the proof came back from the database",
      );
      // Its answer was never marked delivered: the retry rule serves it once more, free (what it paid for and when
      // came back from the database too), and then no more.
      assert.equal((await pay(receiver, price)).status, 200);
      assert.equal(receiver.getChannel(sender.address, openBlock)?.balance, price, "the repeat charged nothing");
      assert.equal((await pay(receiver, price)).status, 402);
      assert.equal((await pay(receiver, 2n * price)).status, 200);
      assert.equal(receiver.getChannel(sender.address, openBlock)?.balance, 2n * price);
    } finally {
      await receiver.close();
    }
  });

  it("refuses both a SQLite file and a database URL", async () => {
    await assert.rejects(
      startReceiver({
        rpcUrl: chain.rpcUrl,
        deployment: chain.deployment,
        privateKey: toHex(chain.accounts[3]?.getHdKey().privateKey ?? assert.fail("no key")),
        databaseUrl: database.url,
        dbPath: "receiver.db",
        log: () => {},
      }),
      /either dbPath \(SQLite\) or databaseUrl \(PostgreSQL\)/,
    );
  });
});
