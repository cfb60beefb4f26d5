// The operator's batch withdraw on a real chain, driven on the receiver core: channels are split into batches of
// `batchSize` (one transaction and one token transfer each), and a batch that fails records nothing.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { balanceProofTypedData, demoTokenAbi, signerDelegationTypedData } from "@micro-raiden/web-client/protocol";
import { parseEventLogs } from "viem";
import { generatePrivateKey, type HDAccount, privateKeyToAccount } from "viem/accounts";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";
import { createOperator } from "./operator.ts";
import { startWatcherChain, TOKENS, type WatcherChain, type WatcherHarness } from "./watcherFixture.test-helper.ts";

describe("operator withdraw in batches", () => {
  let fx: WatcherChain;
  let h: WatcherHarness;

  before(async () => {
    fx = await startWatcherChain();
  });
  beforeEach(async () => {
    await fx.reset();
    h = fx.startReceiver({ dbPath: fx.newDbPath() });
  });
  afterEach(() => h.close());
  after(() => fx.close());

  const operator = (batchSize: number) =>
    createOperator({
      receiver: h.receiver,
      publicClient: fx.publicClient,
      walletClient: fx.wallet(fx.receiverAccount),
      sync: h.watcher.syncOnce,
      batchSize,
    });

  /** Pays up to `balance` on a channel through the receiver's payment path: a payment of `price` (all of it unless given). */
  async function pay(receiver: ReceiverCore, sender: HDAccount, openBlock: bigint, balance: bigint, price = balance) {
    const result = await receiver.acceptPayment(
      {
        contract: fx.deployment.channelManager,
        receiver: receiver.address,
        sender: sender.address,
        openBlock,
        balance,
        signature: await fx.signProof(sender, openBlock, balance),
      },
      price,
      "GET /paid",
    );
    assert.equal(result.kind, "accepted");
    await result.settle();
  }

  /** Five paid channels: three of the first sender, two of the second, paying 1..5 tokens. */
  async function fiveChannels() {
    const channels: { sender: HDAccount; openBlock: bigint; balance: bigint }[] = [];
    for (const [index, sender] of [0, 0, 0, 1, 1].map((i) => [i, fx.senders[i]] as const)) {
      assert.ok(sender, `sender ${index}`);
      await fx.mint(sender.address);
      channels.push({ sender, openBlock: await fx.open(sender, 10n * TOKENS), balance: 0n });
    }
    await h.watcher.syncOnce();
    for (const [i, channel] of channels.entries()) {
      channel.balance = BigInt(i + 1) * TOKENS;
      await pay(h.receiver, channel.sender, channel.openBlock, channel.balance);
    }
    return channels;
  }

  it("sends one batchWithdraw per batchSize channels, each paying its channels in one transfer", async () => {
    const channels = await fiveChannels();
    const nonce = () => fx.publicClient.getTransactionCount({ address: fx.receiverAccount.address });
    const before = await nonce();
    const tokensBefore = await fx.tokenBalance(fx.receiverAccount.address);

    const results = await operator(2).withdraw(1n);
    assert.deepEqual(
      results.map((r) => [r.error, r.skipped]),
      channels.map(() => [undefined, undefined]),
    );
    assert.equal((await nonce()) - before, 3);
    const batches = Map.groupBy(results, (r) => r.transactionHash);
    assert.deepEqual(
      [...batches.values()].map((batch) => batch.length),
      [2, 2, 1],
    );
    for (const [hash, batch] of batches) {
      assert.ok(hash);
      const receipt = await fx.publicClient.getTransactionReceipt({ hash });
      const transfers = parseEventLogs({ abi: demoTokenAbi, eventName: "Transfer", logs: receipt.logs });
      assert.deepEqual(
        transfers.map(({ args }) => args.value),
        [batch.reduce((sum, r) => sum + r.balance, 0n)],
      );
    }
    for (const { sender, openBlock, balance } of channels) {
      assert.equal((await fx.channelInfo(sender.address, openBlock)).withdrawn, balance);
    }
    assert.equal((await fx.tokenBalance(fx.receiverAccount.address)) - tokensBefore, 15n * TOKENS);
    assert.deepEqual(await operator(2).withdraw(1n), [], "everything is withdrawn, nothing is sent again");
    assert.equal((await nonce()) - before, 3);
  });

  it("does not offer again what it withdrew or closed when the channels left memory before the watcher read it", async () => {
    // One channel in memory: recording each result reads the channel and evicts the one before.
    await h.close();
    h = fx.startReceiver({ dbPath: fx.newDbPath(), maxChannels: 1 });
    const channels = await fiveChannels();
    const nonce = () => fx.publicClient.getTransactionCount({ address: fx.receiverAccount.address });
    const withdrawn = await operator(2).withdraw(1n);
    assert.deepEqual(
      withdrawn.map((r) => [r.error, r.skipped]),
      channels.map(() => [undefined, undefined]),
    );
    // The watcher has not read the ChannelWithdrawn events yet.
    assert.deepEqual(h.receiver.withdrawable(1n), []);
    const before = await nonce();
    assert.deepEqual(await operator(2).withdraw(1n), [], "nothing sent again");

    // Paid on, then closed: none is offered to close again before the watcher reads their ChannelSettled events.
    for (const channel of channels) {
      channel.balance += TOKENS;
      await pay(h.receiver, channel.sender, channel.openBlock, channel.balance, TOKENS);
    }
    const closed = await operator(2).closeAll();
    assert.deepEqual(
      closed.map((r) => r.error),
      channels.map(() => undefined),
    );
    assert.deepEqual(h.receiver.closable(), []);
    assert.deepEqual(h.receiver.withdrawable(0n), []);
    assert.equal((await nonce()) - before, channels.length, "one close each, no withdrawal");
    // Once the watcher read them, the store says the same.
    await h.watcher.syncOnce();
    assert.deepEqual(h.receiver.closable(), []);
  });

  it("a batch that fails records nothing, and the next run withdraws it all", async () => {
    const channels = await fiveChannels();
    await fx.setEth(fx.receiverAccount.address, "0");
    const failed = await operator(100).withdraw(1n);
    assert.equal(failed.length, 5);
    for (const result of failed) {
      assert.equal(result.transactionHash, undefined);
      assert.match(result.error ?? "", /./);
    }
    for (const { sender, openBlock } of channels) {
      assert.equal((await fx.channelInfo(sender.address, openBlock)).withdrawn, 0n);
    }

    await fx.setEth(fx.receiverAccount.address, "10");
    const retried = await operator(100).withdraw(1n);
    assert.deepEqual(
      retried.map((r) => [r.sender, r.openBlock, r.balance, r.error]),
      channels.map((c) => [c.sender.address, c.openBlock, c.balance, undefined]),
    );
    for (const { sender, openBlock, balance } of channels) {
      assert.equal((await fx.channelInfo(sender.address, openBlock)).withdrawn, balance);
    }
  });

  it("withdraws a channel paid by a key delegated off-chain with withdraw, the others in a batch, then closes it", async () => {
    const channels = await fiveChannels();
    const [delegatedChannel] = channels;
    assert.ok(delegatedChannel);
    const { sender, openBlock } = delegatedChannel;
    const key = privateKeyToAccount(generatePrivateKey());
    const channel = { sender: sender.address, receiver: h.receiver.address, openBlock };
    const delegation = await sender.signTypedData(
      signerDelegationTypedData(fx.domain, { ...channel, signer: key.address }),
    );
    const balance = delegatedChannel.balance + TOKENS;
    const result = await h.receiver.acceptPayment(
      {
        contract: fx.deployment.channelManager,
        ...channel,
        balance,
        signature: await key.signTypedData(balanceProofTypedData(fx.domain, { ...channel, balance })),
        delegation,
      },
      TOKENS,
      "GET /paid",
    );
    assert.equal(result.kind, "accepted");
    assert.equal(await result.settle(), undefined);
    delegatedChannel.balance = balance;

    const results = await operator(100).withdraw(1n);
    assert.deepEqual(
      results.map((r) => r.error ?? r.skipped),
      channels.map(() => undefined),
    );
    const delegatedResult = results.find((r) => r.sender === sender.address && r.openBlock === openBlock);
    assert.ok(delegatedResult?.transactionHash);
    const others = new Set(results.filter((r) => r !== delegatedResult).map((r) => r.transactionHash));
    assert.equal(others.size, 1, "the 65-byte proofs go in one batch");
    assert.ok(!others.has(delegatedResult.transactionHash), "the delegated proof goes on its own");
    for (const c of channels) assert.equal((await fx.channelInfo(c.sender.address, c.openBlock)).withdrawn, c.balance);

    // The operator's close submits the same 150-byte proof to cooperativeClose.
    const closed = await operator(100).closeAll();
    assert.equal(closed.find((r) => r.sender === sender.address && r.openBlock === openBlock)?.error, undefined);
    assert.equal((await fx.channelInfo(sender.address, openBlock)).deposit, 0n, "closed on chain");
  });

  it("close-all closes the other channels when one stays held by a request past the request timeout", {
    timeout: 20_000,
  }, async () => {
    await h.close();
    h = fx.startReceiver({ dbPath: fx.newDbPath(), requestTimeoutMs: 300 });
    const [busy, free] = [fx.senders[0], fx.senders[1]];
    const channels = [];
    for (const sender of [busy, free]) {
      await fx.mint(sender.address);
      channels.push({ sender, openBlock: await fx.open(sender, 10n * TOKENS) });
    }
    await h.watcher.syncOnce();
    for (const { sender, openBlock } of channels) await pay(h.receiver, sender, openBlock, TOKENS);
    // A payment some site code took and never settles nor releases: its channel stays held.
    const [held] = channels;
    assert.ok(held);
    const holding = await h.receiver.acceptPayment(
      {
        contract: fx.deployment.channelManager,
        receiver: h.receiver.address,
        sender: busy.address,
        openBlock: held.openBlock,
        balance: 2n * TOKENS,
        signature: await fx.signProof(busy, held.openBlock, 2n * TOKENS),
      },
      TOKENS,
      "GET /stuck",
    );
    assert.equal(holding.kind, "accepted");

    const results = await operator(100).closeAll();
    assert.deepEqual(
      results.map((r) => [r.sender, r.error === undefined]),
      [
        [busy.address, false],
        [free.address, true],
      ],
    );
    assert.match(results[0]?.error ?? "", /busy/);
    assert.equal((await fx.channelInfo(free.address, channels[1]?.openBlock ?? 0n)).deposit, 0n, "closed on chain");
  });
});
