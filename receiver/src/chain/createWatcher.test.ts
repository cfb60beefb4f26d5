// The chain watcher against a real chain (Hardhat's node with the real contracts): event following from the
// deployment block, confirmations, the restart-safe cursor, reorganizations (snapshot + revert), and the
// auto-challenge of stale uncooperative closes. Driven with `syncOnce` so every step is deterministic.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { type Address, encodePacked } from "viem";
import type { HDAccount } from "viem/accounts";
import { receiverApp } from "../http/receiverApp.ts";
import type { ReceiverCore as Receiver } from "../receiver/createReceiverCore.ts";
import { receiverFromCore } from "../receiver/receiverFromCore.ts";
import type { ChainEvent } from "../store/records.ts";
import { startWatcherChain, TOKENS, type WatcherChain, type WatcherHarness } from "./watcherFixture.test-helper.ts";

describe("createWatcher against a real chain", () => {
  let fx: WatcherChain;
  let harnesses: WatcherHarness[] = [];
  let alice: HDAccount;
  let bob: HDAccount;

  before(async () => {
    fx = await startWatcherChain();
    [alice, bob] = fx.senders;
  });
  after(() => fx.close());
  beforeEach(() => fx.reset());
  afterEach(async () => {
    for (const h of harnesses) await h.close();
    harnesses = [];
  });

  /** A receiver + watcher on `dbPath` (a new file unless given), closed after the test. */
  function receiverOn(options: { dbPath?: string; confirmations?: number; maxBlockRange?: bigint } = {}) {
    const h = fx.startReceiver({ ...options, dbPath: options.dbPath ?? fx.newDbPath() });
    harnesses.push(h);
    return h;
  }

  function channelOf(receiver: Receiver, sender: Address, openBlock: bigint) {
    const channel = receiver.book.get(sender, openBlock);
    assert.ok(channel, `channel ${sender}:${openBlock} missing from the book`);
    return channel;
  }

  /** Pays `balance` (cumulative) on a channel through the receiver's payment path, committing the proof. */
  async function pay(receiver: Receiver, sender: HDAccount, openBlock: bigint, balance: bigint) {
    const channel = channelOf(receiver, sender.address, openBlock);
    const result = await receiver.acceptPayment(
      {
        contract: fx.deployment.channelManager,
        receiver: receiver.address,
        sender: sender.address,
        openBlock,
        balance,
        signature: await fx.signProof(sender, openBlock, balance),
      },
      balance - channel.balance,
      "GET /paid",
    );
    assert.equal(result.kind, "accepted", `payment of ${balance} refused: ${JSON.stringify(result, bigints)}`);
    await result.settle();
  }

  const bigints = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);
  const names = (events: ChainEvent[]) => events.map((e) => `${e.name}@${e.blockNumber}`);
  const warnings = (h: WatcherHarness) => h.logs.filter((entry) => entry.level === "warn");
  const errors = (h: WatcherHarness) => h.logs.filter((entry) => entry.level === "error");
  const receiverNonce = () => fx.publicClient.getTransactionCount({ address: fx.receiverAccount.address });

  /** Every stored event's block hash is the chain's hash at that height (the store describes the current chain). */
  async function assertStoreMatchesChain(h: WatcherHarness) {
    for (const event of h.store.loadEvents()) {
      const block = await fx.publicClient.getBlock({ blockNumber: event.blockNumber });
      assert.equal(event.blockHash, block.hash, `stored event at block ${event.blockNumber} is from another chain`);
    }
    const last = h.store.lastBlock();
    if (last) assert.equal(last.hash, (await fx.publicClient.getBlock({ blockNumber: last.number })).hash);
  }

  describe("following channel events", () => {
    it("finds a channel opened in the first block after the deployment block (µRaiden #411)", async () => {
      const deploymentBlock = BigInt(fx.deployment.deploymentBlock);
      assert.equal(await fx.head(), deploymentBlock);
      // Mint and open in one block: the block right after the manager's deployment.
      await fx.testClient.setAutomine(false);
      await fx.wallet(fx.deployer).writeContract({
        chain: null,
        address: fx.deployment.token,
        abi: demoTokenAbi,
        functionName: "mint",
        args: [alice.address, 100n * TOKENS],
        gas: 200_000n,
      });
      await fx.wallet(alice).writeContract({
        chain: null,
        address: fx.deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [fx.deployment.channelManager, 10n * TOKENS, encodePacked(["address"], [fx.receiverAccount.address])],
        gas: 500_000n,
      });
      await fx.mine(1);
      await fx.testClient.setAutomine(true);
      assert.equal(await fx.head(), deploymentBlock + 1n);
      assert.equal((await fx.channelInfo(alice.address, deploymentBlock + 1n)).deposit, 10n * TOKENS);

      const h = receiverOn();
      await h.watcher.syncOnce();
      const channel = channelOf(h.receiver, alice.address, deploymentBlock + 1n);
      assert.equal(h.receiver.status(channel), "open");
      assert.equal(h.receiver.deposit(channel), 10n * TOKENS);
      assert.deepEqual(names(h.store.loadEvents()), [`ChannelCreated@${deploymentBlock + 1n}`]);
      assert.equal(h.receiver.head(), deploymentBlock + 1n);
    });

    it("follows create, top-up, withdraw, close request and settle, ignoring other receivers' channels", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      // Noise: channels of the same and another sender to another receiver, and a top-up of one.
      const otherOpen = await fx.open(alice, 3n * TOKENS, fx.otherReceiver.address);
      const bobOther = await fx.open(bob, 4n * TOKENS, fx.otherReceiver.address);
      await fx.topUp(bob, bobOther, 1n * TOKENS, fx.otherReceiver.address);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.book.select({}).length, 1);
      let channel = channelOf(h.receiver, alice.address, openBlock);
      assert.equal(h.receiver.status(channel), "open");
      assert.equal(h.receiver.deposit(channel), 10n * TOKENS);
      assert.equal(h.receiver.book.get(alice.address, otherOpen), undefined);

      const toppedUp = await fx.topUp(alice, openBlock, 5n * TOKENS);
      await h.watcher.syncOnce();
      channel = channelOf(h.receiver, alice.address, openBlock);
      assert.equal(h.receiver.deposit(channel), 15n * TOKENS);
      assert.deepEqual(channel.deposits, [
        { block: openBlock, amount: 10n * TOKENS },
        { block: toppedUp, amount: 5n * TOKENS },
      ]);

      await pay(h.receiver, alice, openBlock, 4n * TOKENS);
      assert.ok(channel.signature);
      await fx.withdraw(alice.address, openBlock, 4n * TOKENS, channel.signature);
      await h.watcher.syncOnce();
      assert.equal(channel.withdrawn, 4n * TOKENS);

      const nonceBeforeClose = await receiverNonce();
      const close = await fx.uncooperativeClose(alice, openBlock, 4n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.status(channel), "closing");
      const { settleBlock } = await fx.channelInfo(alice.address, openBlock);
      assert.deepEqual(channel.closeRequest, { balance: 4n * TOKENS, settleBlock, block: close.blockNumber });
      assert.equal(settleBlock, close.blockNumber + BigInt(fx.deployment.challengePeriod));
      assert.equal(await receiverNonce(), nonceBeforeClose, "no challenge for a close at the receiver's balance");

      await fx.mine(fx.deployment.challengePeriod + 1);
      const settled = await fx.settle(alice, openBlock);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.status(channel), "settled");
      assert.equal(channel.settled, true);

      const events = h.store.loadEvents();
      assert.deepEqual(
        events.map((e) => e.name),
        ["ChannelCreated", "ChannelToppedUp", "ChannelWithdrawn", "ChannelCloseRequested", "ChannelSettled"],
      );
      assert.ok(events.every((e) => e.sender === alice.address && e.openBlock === openBlock));
      assert.deepEqual(events.at(-1)?.amounts, {
        balance: 4n * TOKENS,
        receiverPayout: 0n,
        senderRefund: 11n * TOKENS,
      });
      assert.equal(events.at(-1)?.blockNumber, settled.blockNumber);
      assert.equal(await fx.tokenBalance(fx.receiverAccount.address), 4n * TOKENS);
      assert.deepEqual(errors(h), []);
      await assertStoreMatchesChain(h);
    });

    it("reads long ranges in chunks of maxBlockRange without missing or repeating events", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const h = receiverOn({ maxBlockRange: 3n });
      const a = await fx.open(alice, 10n * TOKENS);
      await fx.mine(7);
      const b = await fx.open(bob, 2n * TOKENS);
      await fx.topUp(alice, a, 1n * TOKENS);
      await fx.mine(5);
      await fx.topUp(bob, b, 3n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.store.loadEvents().length, 4);
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 11n * TOKENS);
      assert.equal(h.receiver.deposit(channelOf(h.receiver, bob.address, b)), 5n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.store.loadEvents().length, 4);
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 11n * TOKENS);
    });
  });

  describe("progress", () => {
    it("says how many blocks a catch-up longer than one chunk has read, up to all of them", async () => {
      await fx.mine(10);
      const h = receiverOn({ maxBlockRange: 3n });
      await h.watcher.syncOnce();
      const progress = h.logs.filter(({ message }) => message.startsWith("catching up"));
      assert.ok(progress.length >= 1);
      const last = progress.at(-1)?.message ?? "";
      const match = /: (\d+) of (\d+) blocks read \(to block (\d+) of (\d+)\)$/.exec(last);
      assert.ok(match, last);
      assert.equal(match[1], match[2], "the last report is the end of the catch-up");
      assert.ok(Number(match[2]) >= 10);
      assert.equal(BigInt(match[3] ?? ""), h.receiver.head());
      // A step reading less than a chunk stays quiet.
      const before = h.logs.length;
      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(h.logs.slice(before).filter(({ message }) => message.startsWith("catching up")).length, 0);
    });
  });

  describe("confirmations", () => {
    it("keeps a channel pending and a top-up uncounted until they have 3 confirmations", async () => {
      await fx.mint(alice.address);
      const h = receiverOn({ confirmations: 3 });
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      const channel = channelOf(h.receiver, alice.address, openBlock);
      assert.equal(h.receiver.status(channel), "pending");
      assert.equal(h.receiver.deposit(channel), 0n);
      const early = await h.receiver.acceptPayment(
        {
          contract: fx.deployment.channelManager,
          receiver: h.receiver.address,
          sender: alice.address,
          openBlock,
          balance: 1n,
          signature: await fx.signProof(alice, openBlock, 1n),
        },
        1n,
        "GET /paid",
      );
      assert.equal(early.kind, "failure");
      assert.equal(early.kind === "failure" ? early.failure.code : undefined, "insufficient_confirmations");

      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.status(channel), "pending", "1 more block: 2 confirmations");
      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.head(), openBlock + 2n);
      assert.equal(h.receiver.status(channel), "open", "2 more blocks: 3 confirmations");
      assert.equal(h.receiver.deposit(channel), 10n * TOKENS);

      const toppedUp = await fx.topUp(alice, openBlock, 5n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.deposit(channel), 10n * TOKENS, "top-up with 1 confirmation");
      assert.equal(h.receiver.status(channel), "open");
      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.deposit(channel), 10n * TOKENS, "top-up with 2 confirmations");
      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.head(), toppedUp + 2n);
      assert.equal(h.receiver.deposit(channel), 15n * TOKENS, "top-up with 3 confirmations");
    });
  });

  describe("restart-safe cursor", () => {
    it("resumes on the same database without losing or repeating events", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const dbPath = fx.newDbPath();
      const first = receiverOn({ dbPath });
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await first.watcher.syncOnce();
      await fx.topUp(alice, openBlock, 5n * TOKENS);
      await first.watcher.syncOnce();
      await pay(first.receiver, alice, openBlock, 3n * TOKENS);
      assert.equal(first.receiver.deposit(channelOf(first.receiver, alice.address, openBlock)), 15n * TOKENS);
      const cursor = first.store.lastBlock();
      await first.close();

      // While the server is down: more events, and empty blocks.
      await fx.topUp(alice, openBlock, 7n * TOKENS);
      await fx.mine(2);
      const bobOpen = await fx.open(bob, 4n * TOKENS);

      const second = receiverOn({ dbPath });
      assert.deepEqual(second.store.lastBlock(), cursor);
      const restored = channelOf(second.receiver, alice.address, openBlock);
      assert.equal(second.receiver.deposit(restored), 15n * TOKENS, "the book is rebuilt from the store");
      assert.equal(restored.balance, 3n * TOKENS, "the accepted proof is restored");
      await second.watcher.syncOnce();
      assert.equal(second.receiver.deposit(restored), 22n * TOKENS);
      assert.equal(second.receiver.deposit(channelOf(second.receiver, bob.address, bobOpen)), 4n * TOKENS);
      assert.equal(second.store.loadEvents().length, 4);
      await second.watcher.syncOnce();
      assert.equal(second.receiver.deposit(restored), 22n * TOKENS);
      assert.equal(second.store.loadEvents().length, 4);
      await second.close();

      // A restart with nothing new in between changes nothing either.
      const third = receiverOn({ dbPath });
      await third.watcher.syncOnce();
      const again = channelOf(third.receiver, alice.address, openBlock);
      assert.equal(third.receiver.deposit(again), 22n * TOKENS);
      assert.equal(again.deposits.length, 3);
      assert.equal(again.balance, 3n * TOKENS);
      assert.equal(third.store.loadEvents().length, 4);
      const keys = third.store.loadEvents().map((e) => `${e.blockNumber}:${e.logIndex}`);
      assert.equal(new Set(keys).size, keys.length);
      assert.deepEqual(
        [...first.logs, ...second.logs, ...third.logs].filter((e) => e.level !== "info"),
        [],
      );
      await assertStoreMatchesChain(third);
    });
  });

  describe("reorganizations", () => {
    it("rolls back a shallow reorg: reverted events leave the book and the store, the new history is read", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const h = receiverOn();
      const a = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      const snapshot = await fx.testClient.snapshot();
      await fx.topUp(alice, a, 5n * TOKENS);
      const b = await fx.open(bob, 8n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 15n * TOKENS);
      await pay(h.receiver, bob, b, 2n * TOKENS);
      assert.equal(h.store.loadEvents().length, 3);
      const staleHead = h.store.lastBlock();

      await fx.testClient.revert({ id: snapshot });
      // Another history: an empty block, then bob opens again in the same block number with another deposit, then
      // one more block so the new chain is longer.
      await fx.mine(1);
      const b2 = await fx.open(bob, 3n * TOKENS);
      assert.equal(b2, b, "the new channel has the reverted channel's identity");
      await fx.mine(1);
      await h.watcher.syncOnce();

      assert.equal(warnings(h).length, 1);
      assert.match(warnings(h)[0]?.message ?? "", /reorg/i);
      assert.notDeepEqual(h.store.lastBlock(), staleHead);
      const aChannel = channelOf(h.receiver, alice.address, a);
      assert.equal(h.receiver.deposit(aChannel), 10n * TOKENS, "the reverted top-up is gone");
      assert.equal(aChannel.deposits.length, 1);
      const bChannel = channelOf(h.receiver, bob.address, b);
      assert.deepEqual(bChannel.deposits, [{ block: b, amount: 3n * TOKENS }]);
      assert.deepEqual(names(h.store.loadEvents()), [`ChannelCreated@${a}`, `ChannelCreated@${b}`]);
      assert.deepEqual(
        h.store.loadEvents().map((e) => e.amounts.deposit),
        [10n * TOKENS, 3n * TOKENS],
      );
      await assertStoreMatchesChain(h);
      await h.watcher.syncOnce();
      assert.equal(warnings(h).length, 1, "no second rollback");
      assert.equal(h.store.loadEvents().length, 2);
      assert.deepEqual(errors(h), []);
    });

    it("rolls back a reorg deeper than 10 blocks, and channels that only the old chain had disappear", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const h = receiverOn();
      const a = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      const forkBase = await fx.head();
      const snapshot = await fx.testClient.snapshot();
      await fx.topUp(alice, a, 5n * TOKENS);
      await fx.mine(12);
      const b = await fx.open(bob, 8n * TOKENS);
      await fx.mine(3);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.book.select({}).length, 2);
      assert.equal(h.store.loadEvents().length, 3);
      const oldHead = await fx.head();
      assert.ok(oldHead - forkBase > 10n);

      await fx.testClient.revert({ id: snapshot });
      await fx.mine(Number(oldHead - forkBase) + 3);
      await h.watcher.syncOnce();

      assert.equal(warnings(h).length, 1);
      assert.match(warnings(h)[0]?.message ?? "", /reorg/i);
      assert.equal(h.receiver.book.get(bob.address, b), undefined, "bob's channel was only on the old chain");
      assert.equal(h.receiver.book.select({}).length, 1);
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 10n * TOKENS);
      assert.deepEqual(names(h.store.loadEvents()), [`ChannelCreated@${a}`]);
      assert.equal(h.receiver.head(), await fx.head());
      await assertStoreMatchesChain(h);

      // The new chain goes on normally.
      await fx.topUp(alice, a, 1n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 11n * TOKENS);
      assert.equal(warnings(h).length, 1);
      assert.deepEqual(errors(h), []);
    });

    it("rolls back when the new chain is shorter than the processed head", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      const a = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      const snapshot = await fx.testClient.snapshot();
      await fx.topUp(alice, a, 5n * TOKENS);
      await fx.mine(4);
      await h.watcher.syncOnce();
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 15n * TOKENS);

      await fx.testClient.revert({ id: snapshot });
      await h.watcher.syncOnce();
      assert.equal(warnings(h).length, 1);
      assert.equal(h.receiver.deposit(channelOf(h.receiver, alice.address, a)), 10n * TOKENS);
      assert.deepEqual(names(h.store.loadEvents()), [`ChannelCreated@${a}`]);
      assert.equal(h.receiver.head(), await fx.head());
      await assertStoreMatchesChain(h);
    });
  });

  describe("reorganizations: proofs and challenges survive them", () => {
    it("a channel dropped by a reorg and re-included at the same identity gets back its accepted proof", async () => {
      await fx.mint(bob.address);
      const h = receiverOn();
      await fx.mine(1);
      await h.watcher.syncOnce();
      const snapshot = await fx.testClient.snapshot();
      const b = await fx.open(bob, 8n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, bob, b, 2n * TOKENS);

      await fx.testClient.revert({ id: snapshot });
      assert.equal(await fx.open(bob, 3n * TOKENS), b);
      await fx.mine(1);
      await h.watcher.syncOnce();
      assert.equal(warnings(h).length, 1);
      assert.deepEqual(
        h.store.loadProofs().map((p) => p.balance),
        [2n * TOKENS],
        "the proof is still in the store",
      );
      const restarted = channelOf(receiverOn({ dbPath: h.dbPath }).receiver, bob.address, b);
      assert.equal(restarted.balance, 2n * TOKENS, "a restarted receiver has it");
      const channel = channelOf(h.receiver, bob.address, b);
      assert.equal(channel.balance, 2n * TOKENS, "the running receiver has it too");
      await pay(h.receiver, bob, b, 3n * TOKENS);
    });
  });

  describe("auto-challenge of stale closes", () => {
    it("closes at its proof when the sender requests a close below it", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, alice, openBlock, 2n * TOKENS);
      await pay(h.receiver, alice, openBlock, 6n * TOKENS);
      const receiverTokens = await fx.tokenBalance(fx.receiverAccount.address);
      const aliceTokens = await fx.tokenBalance(alice.address);

      await fx.uncooperativeClose(alice, openBlock, 2n * TOKENS);
      await h.watcher.syncOnce();

      const info = await fx.channelInfo(alice.address, openBlock);
      assert.equal(info.deposit, 0n, "the channel is gone on chain");
      assert.equal(await fx.tokenBalance(fx.receiverAccount.address), receiverTokens + 6n * TOKENS);
      assert.equal(await fx.tokenBalance(alice.address), aliceTokens + 4n * TOKENS);
      assert.ok(h.logs.some((e) => e.level === "info" && /challenged/.test(e.message)));
      const [challenge, ...more] = h.store.loadChallenges();
      assert.deepEqual(more, []);
      assert.equal(challenge?.balance, 6n * TOKENS);
      assert.equal(challenge?.lastError, undefined);
      assert.ok(challenge?.transactionHash);

      const nonce = await receiverNonce();
      await h.watcher.syncOnce();
      const channel = channelOf(h.receiver, alice.address, openBlock);
      assert.equal(h.receiver.status(channel), "settled");
      assert.deepEqual(h.store.loadEvents().at(-1)?.amounts, {
        balance: 6n * TOKENS,
        receiverPayout: 6n * TOKENS,
        senderRefund: 4n * TOKENS,
      });
      await fx.mine(2);
      await h.watcher.syncOnce();
      assert.equal(await receiverNonce(), nonce, "no second challenge");
      assert.deepEqual(errors(h), []);
    });

    it("does not challenge a close at or above its proof, nor one on a channel without a proof", async () => {
      await fx.mint(alice.address);
      await fx.mint(bob.address);
      const h = receiverOn();
      const atProof = await fx.open(alice, 10n * TOKENS);
      const aboveProof = await fx.open(alice, 10n * TOKENS);
      const noProof = await fx.open(bob, 10n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, alice, atProof, 6n * TOKENS);
      await pay(h.receiver, alice, aboveProof, 3n * TOKENS);
      const nonce = await receiverNonce();

      await fx.uncooperativeClose(alice, atProof, 6n * TOKENS);
      await fx.uncooperativeClose(alice, aboveProof, 5n * TOKENS);
      await fx.uncooperativeClose(bob, noProof, 0n);
      await h.watcher.syncOnce();
      await h.watcher.syncOnce();

      assert.equal(await receiverNonce(), nonce, "no transaction from the receiver");
      for (const [sender, openBlock, balance] of [
        [alice.address, atProof, 6n * TOKENS],
        [alice.address, aboveProof, 5n * TOKENS],
        [bob.address, noProof, 0n],
      ] as const) {
        const info = await fx.channelInfo(sender, openBlock);
        assert.equal(info.deposit, 10n * TOKENS);
        assert.equal(info.closingBalance, balance);
        assert.equal(h.receiver.status(channelOf(h.receiver, sender, openBlock)), "closing");
      }
      assert.deepEqual(h.store.loadChallenges(), []);
      assert.deepEqual(errors(h), []);
    });

    /** Opens a channel, accepts a payment of 6, drains the receiver's ETH and has the sender close at 1. */
    async function staleCloseWithoutGas() {
      await fx.mint(alice.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, alice, openBlock, 6n * TOKENS);
      await fx.setEth(fx.receiverAccount.address, "0");
      await fx.uncooperativeClose(alice, openBlock, 1n * TOKENS);
      return { h, openBlock };
    }

    it("logs AUTO-CHALLENGE FAILED when the receiver has no gas, and succeeds once funded", async () => {
      const { h, openBlock } = await staleCloseWithoutGas();
      await h.watcher.syncOnce();
      const failures = errors(h);
      assert.equal(failures.length, 1);
      assert.match(failures[0]?.message ?? "", /AUTO-CHALLENGE FAILED/);
      assert.doesNotMatch(failures[0]?.message ?? "", new RegExp(fx.receiverAccountKeyHex().slice(2), "i"));
      assert.equal((await fx.channelInfo(alice.address, openBlock)).deposit, 10n * TOKENS, "still closing");
      assert.match(h.store.loadChallenges()[0]?.lastError ?? "", /./);

      // It keeps retrying on every step.
      await h.watcher.syncOnce();
      assert.equal(errors(h).length, 2);
      assert.match(errors(h)[1]?.message ?? "", /AUTO-CHALLENGE FAILED/);

      await fx.setEth(fx.receiverAccount.address, "1");
      const receiverTokens = await fx.tokenBalance(fx.receiverAccount.address);
      await h.watcher.syncOnce();
      assert.equal(errors(h).length, 2, "no new failure");
      assert.equal((await fx.channelInfo(alice.address, openBlock)).deposit, 0n, "the channel is gone on chain");
      assert.equal(await fx.tokenBalance(fx.receiverAccount.address), receiverTokens + 6n * TOKENS);
      const [challenge] = h.store.loadChallenges();
      assert.equal(challenge?.lastError, undefined);
      assert.ok(challenge?.transactionHash);
    });

    it("says the receiver lacks gas when the challenge cannot be paid for", async () => {
      const { h } = await staleCloseWithoutGas();
      await h.watcher.syncOnce();
      assert.match(errors(h)[0]?.message ?? "", /AUTO-CHALLENGE FAILED.*(gas|enough funds)/i);
    });

    it("challenges in the last block of the challenge period", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, alice, openBlock, 6n * TOKENS);
      const close = await fx.uncooperativeClose(alice, openBlock, 1n * TOKENS);
      const { settleBlock } = await fx.channelInfo(alice.address, openBlock);
      await fx.mine(Number(settleBlock - close.blockNumber) - 1);
      assert.equal(await fx.head(), settleBlock - 1n);
      await h.watcher.syncOnce();
      assert.deepEqual(errors(h), []);
      assert.equal((await fx.channelInfo(alice.address, openBlock)).deposit, 0n, "the channel is gone on chain");
      assert.equal(await fx.tokenBalance(fx.receiverAccount.address), 6n * TOKENS);
    });

    it("challenges again when a reorg removed its challenge and the channel is back to closing", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      await pay(h.receiver, alice, openBlock, 6n * TOKENS);
      await fx.uncooperativeClose(alice, openBlock, 1n * TOKENS);
      const snapshot = await fx.testClient.snapshot();
      await h.watcher.syncOnce(); // challenges
      await h.watcher.syncOnce(); // sees ChannelSettled
      const channel = channelOf(h.receiver, alice.address, openBlock);
      assert.equal(h.receiver.status(channel), "settled");

      // The blocks with the challenge are reorganized away: on the new chain the stale close is pending again.
      await fx.testClient.revert({ id: snapshot });
      await fx.mine(3);
      assert.equal((await fx.channelInfo(alice.address, openBlock)).deposit, 10n * TOKENS);
      await h.watcher.syncOnce();
      assert.equal(warnings(h).length, 1);
      assert.equal(h.receiver.status(channelOf(h.receiver, alice.address, openBlock)), "closing");
      assert.equal(
        (await fx.channelInfo(alice.address, openBlock)).deposit,
        0n,
        "the stale close must be challenged again on the new chain",
      );
    });
  });

  describe("withdrawals and stats", () => {
    it("reflects withdrawn amounts from ChannelWithdrawn events in the book and /stats", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      await h.watcher.syncOnce();
      const channel = channelOf(h.receiver, alice.address, openBlock);
      const app = receiverApp({ receiver: receiverFromCore(h.receiver, { publicClient: fx.publicClient }) });
      const stats = async () => {
        const response = await app.request("/api/1/stats");
        assert.equal(response.status, 200);
        return (await response.json()) as Record<string, unknown>;
      };

      await pay(h.receiver, alice, openBlock, 3n * TOKENS);
      assert.ok(channel.signature);
      await fx.withdraw(alice.address, openBlock, 3n * TOKENS, channel.signature);
      await h.watcher.syncOnce();
      assert.equal(channel.withdrawn, 3n * TOKENS);

      await pay(h.receiver, alice, openBlock, 7n * TOKENS);
      let s = await stats();
      assert.equal(s.balance_sum, (4n * TOKENS).toString(), "accepted but not yet withdrawn");
      await fx.withdraw(alice.address, openBlock, 7n * TOKENS, channel.signature);
      await h.watcher.syncOnce();
      assert.equal(channel.withdrawn, 7n * TOKENS);
      assert.deepEqual(
        h.store
          .loadEvents()
          .filter((e) => e.name === "ChannelWithdrawn")
          .map((e) => e.amounts),
        [
          { amount: 3n * TOKENS, withdrawn: 3n * TOKENS },
          { amount: 4n * TOKENS, withdrawn: 7n * TOKENS },
        ],
      );
      assert.equal((await fx.channelInfo(alice.address, openBlock)).withdrawn, 7n * TOKENS);
      s = await stats();
      assert.equal(s.balance_sum, "0");
      assert.equal(s.deposit_sum, (10n * TOKENS).toString());
      assert.equal(s.open_channels, 1);
      assert.equal(s.liquid_balance, (7n * TOKENS).toString());
      assert.equal(h.receiver.book.get(alice.address, openBlock) !== undefined, true);
    });
  });

  describe("polling", () => {
    it("start() follows the chain on its own until stop()", async () => {
      await fx.mint(alice.address);
      const h = receiverOn();
      await h.watcher.start();
      const openBlock = await fx.open(alice, 10n * TOKENS);
      for (let tries = 0; !h.receiver.book.get(alice.address, openBlock); tries++) {
        assert.ok(tries < 400, "the polling watcher never saw the channel");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await h.watcher.stop();
      const cursor = h.store.lastBlock();
      await fx.mine(3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(h.store.lastBlock(), cursor, "stopped: the cursor no longer moves");
      assert.deepEqual(errors(h), []);
    });
  });
});
