// A stale uncooperative close is challenged in its period even when the leader that saw it is killed (kill -9)
// before its challenge went through: the next leader challenges. Receivers as processes on one database, real chain.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { apiPrefix, channelManagerAbi, channelPath } from "@micro-raiden/web-client/protocol";
import { startWatcherChain, TOKENS, type WatcherChain } from "../chain/watcherFixture.test-helper.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import {
  createPayer,
  freePort,
  type ReceiverProcess,
  spawnReceiver,
  startUpstream,
} from "./testing/receiverProcess.test-helper.ts";

let fx: WatcherChain;
let database: TestDatabase;
let dir: string;
before(async () => {
  [fx, database, dir] = await Promise.all([
    startWatcherChain(),
    createTestDatabase(),
    mkdtemp(join(tmpdir(), "stale-close-test-")),
  ]);
});
after(async () => {
  await fx?.close();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a stale close while the leader dies", () => {
  it("is challenged by the next leader within the challenge period", async () => {
    const price = TOKENS / 100n;
    const upstream = await startUpstream();
    const receivers: ReceiverProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        receivers.push(
          await spawnReceiver({
            dir: await mkdtemp(join(dir, "receiver-")),
            rpcUrl: fx.chain.rpcUrl,
            deployment: fx.deployment,
            privateKey: fx.receiverAccountKeyHex(),
            databaseUrl: database.url,
            port: await freePort(),
            upstream: { url: upstream.url, price },
          }),
        );
      }
      await until(() => receivers.some((r) => r.leads()), "a leader is elected");
      const leader = receivers.find((r) => r.leads()) ?? assert.fail();
      const follower = receivers.find((r) => r !== leader) ?? assert.fail();

      const [alice] = fx.senders;
      await fx.mint(alice.address);
      const openBlock = await fx.open(alice, 10n * TOKENS);
      const payer = createPayer({
        account: alice,
        openBlock,
        deployment: fx.deployment,
        receiver: fx.receiverAccount.address,
        price,
      });
      // The follower knows the channel from what the leader stored.
      const channelUrl = `${follower.url}${apiPrefix}${channelPath({ sender: alice.address, openBlock })}`;
      await until(async () => (await fetch(channelUrl)).ok, "the follower knows the channel");
      for (let i = 0; i < 3; i++) {
        const paid = await payer.pay([follower.url]);
        assert.equal(paid.status, 200, paid.failure);
      }

      // The leader sees the stale close but cannot challenge yet (its account has no gas for the moment)…
      await fx.setEth(fx.receiverAccount.address, "0");
      await fx.uncooperativeClose(alice, openBlock, price);
      await until(() => leader.output().includes("AUTO-CHALLENGE FAILED"), "the leader saw the close");
      // …and dies. Gas is back; the follower takes over and challenges at the receiver's proof.
      leader.child.kill("SIGKILL");
      await leader.exited;
      await fx.setEth(fx.receiverAccount.address, "10");
      const { settleBlock } = await fx.channelInfo(alice.address, openBlock);
      await until(() => follower.leads(), "the follower takes over");
      await until(async () => (await fx.channelInfo(alice.address, openBlock)).deposit === 0n, "the channel closed");
      assert.ok((await fx.head()) <= settleBlock, "within the challenge period");
      // Closed at the receiver's proof, on chain: the settlement's balance is the three payments.
      const [settled] = await fx.publicClient.getContractEvents({
        address: fx.deployment.channelManager,
        abi: channelManagerAbi,
        eventName: "ChannelSettled",
        args: { sender: alice.address, receiver: fx.receiverAccount.address },
        fromBlock: openBlock,
        strict: true,
      });
      assert.equal(settled?.args.balance, 3n * price, "closed at the receiver's proof");
      // The follower says so too (its log reaches this process a moment after the transaction is mined).
      await until(
        () => new RegExp(`closing at ${3n * price}`).test(follower.output()),
        "the follower logs its challenge at the receiver's proof",
      );
    } finally {
      for (const receiver of receivers) receiver.child.kill("SIGKILL");
      await upstream.close();
    }
  });
});
