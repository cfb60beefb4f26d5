// Property-based test of the channel manager: fast-check generates random sequences of channel operations by two
// senders to two receivers (opens, top-ups, off-chain payments, withdrawals, cooperative and uncooperative closes,
// the receiver's challenge, mining, settlement, and a few forgeries), runs them on one in-process chain, and checks a
// pure TypeScript model of what the manager must hold and pay against the chain after every step.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import fc from "fast-check";
import {
  type Address,
  getAddress,
  type Hex,
  parseEventLogs,
  parseSignature,
  signatureToCompactSignature,
  toFunctionSelector,
} from "viem";
import {
  CHALLENGE_PERIOD,
  deployFixture,
  expectRevert,
  newSessionKey,
  signBalanceProof,
  signClosingAgreement,
  TOKENS,
  zeroAddress,
} from "./fixture.ts";

// 100 runs of up to 80 operations take 12-20 s on a 2-core machine; FC_SEED and FC_RUNS explore further.
const NUM_RUNS = Number(process.env.FC_RUNS ?? 100);
const SEED = Number(process.env.FC_SEED ?? 20_240_611);
const MAX_OPS = 80;

type Fixture = Awaited<ReturnType<typeof deployFixture>>;
type Wallet = Fixture["sender"];
type SessionKey = ReturnType<typeof newSessionKey>;
type Revert = { name: string; args?: readonly unknown[] };

// ---------------------------------------------------------------- operations

/** Selects a channel: usually one in the state the operation is meant for, one time in eight any known channel. */
type ChannelRef = number;

type Op =
  | {
      kind: "open";
      sender: number;
      receiver: number;
      deposit: bigint;
      signer: "none" | "session" | "self";
      invalid: "none" | "zeroDeposit" | "toSelf" | "signerIsReceiver";
    }
  | { kind: "topUp"; channel: ChannelRef; amount: bigint }
  | { kind: "pay"; channel: ChannelRef; percent: number; viaSessionKey: boolean }
  | { kind: "withdraw"; channel: ChannelRef; olderProof: number | null }
  | { kind: "batchWithdraw"; receiver: number; entries: { channel: ChannelRef; olderProof: number | null }[] }
  | {
      kind: "forge";
      channel: ChannelRef;
      by: "receiver" | "otherSender" | "otherSessionKey" | "replay" | "otherReceiver";
    }
  | {
      kind: "cooperativeClose";
      channel: ChannelRef;
      by: "relayer" | "receiver" | "sender" | "senderForgingReceiver";
      olderProof: number | null;
    }
  | {
      kind: "uncooperativeClose";
      channel: ChannelRef;
      claim: "belowWithdrawn" | "belowLatest" | "latest" | "aboveLatest" | "overDeposit";
      percent: number;
      byStranger: boolean;
    }
  | { kind: "challenge"; channel: ChannelRef }
  | { kind: "mine"; blocks: number }
  | { kind: "mineToChallengeEnd"; channel: ChannelRef; after: boolean }
  | { kind: "settle"; channel: ChannelRef; by: "sender" | "receiver" | "relayer" };

const channelRef = fc.nat({ max: 255 });
const percent = fc.integer({ min: 0, max: 99 });
const amount = fc.bigInt({ min: 1n, max: 1_000n * TOKENS });
const olderProof = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("open"),
      sender: fc.nat({ max: 1 }),
      receiver: fc.nat({ max: 1 }),
      deposit: amount,
      signer: fc.constantFrom("none", "session", "self"),
      invalid: fc.oneof(
        { weight: 12, arbitrary: fc.constant("none") },
        { weight: 1, arbitrary: fc.constantFrom("zeroDeposit", "toSelf", "signerIsReceiver") },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("topUp"),
      channel: channelRef,
      amount: fc.oneof({ weight: 10, arbitrary: amount }, { weight: 1, arbitrary: fc.constant(0n) }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("pay"),
      channel: channelRef,
      percent: fc.integer({ min: 0, max: 35 }),
      viaSessionKey: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("withdraw"), channel: channelRef, olderProof }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("batchWithdraw"),
      receiver: fc.nat({ max: 1 }),
      entries: fc.array(fc.record({ channel: channelRef, olderProof }), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("forge"),
      channel: channelRef,
      by: fc.constantFrom("receiver", "otherSender", "otherSessionKey", "replay", "otherReceiver"),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("cooperativeClose"),
      channel: channelRef,
      by: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom("relayer", "receiver", "sender") },
        { weight: 1, arbitrary: fc.constant("senderForgingReceiver") },
      ),
      olderProof,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("uncooperativeClose"),
      channel: channelRef,
      claim: fc.constantFrom("belowWithdrawn", "belowLatest", "latest", "aboveLatest", "overDeposit"),
      percent,
      byStranger: fc.oneof({ weight: 10, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("challenge"), channel: channelRef }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("mine"), blocks: fc.constantFrom(1, 7, 250, 501, 501) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("mineToChallengeEnd"), channel: channelRef, after: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("settle"),
      channel: channelRef,
      by: fc.constantFrom("sender", "receiver", "relayer"),
    }),
  },
);

// ---------------------------------------------------------------- model

interface Proof {
  balance: bigint;
  signature: Hex;
}

interface ModelChannel {
  sender: Wallet;
  receiver: Wallet;
  openBlock: bigint;
  deposit: bigint;
  withdrawn: bigint;
  /** Zero while open; the last block of the challenge period after an uncooperative close. */
  settleBlock: bigint;
  closingBalance: bigint;
  signer: Address;
  sessionKey: SessionKey | undefined;
  /** Every balance proof signed for the channel, in signing order (balances strictly increase). */
  proofs: Proof[];
  /** The highest balance the sender claimed with uncooperativeClose (a sender-signed transaction). */
  claimed: bigint;
  settled: boolean;
  /** What the receiver should have been paid from the channel so far (withdrawals and settlement). */
  paid: bigint;
  /** Token flows observed on chain in the steps that touched this channel. */
  receivedOnChain: bigint;
  senderNetOnChain: bigint;
}

/** A batch withdrawal touches several channels of one receiver, each by its own amount. */
interface BatchTouch {
  kind: "batch";
  receiver: Wallet;
  amounts: [ModelChannel, bigint][];
}

/** The selectors of the manager's errors by name, as `WithdrawalSkipped` reports them. */
const errorSelectors = new Map<string, Hex>(
  channelManagerAbi.flatMap((item) =>
    item.type === "error"
      ? [[item.name, toFunctionSelector(`${item.name}(${item.inputs.map((input) => input.type).join(",")})`)]]
      : [],
  ),
);

function max(a: bigint, b: bigint) {
  return a > b ? a : b;
}
const latestBalance = (ch: ModelChannel) => ch.proofs.at(-1)?.balance ?? 0n;
/** The most the sender ever authorised the receiver to take: its highest balance proof or uncooperative claim. */
const authorised = (ch: ModelChannel) => max(ch.claimed, latestBalance(ch));
const isClosing = (ch: ModelChannel) => !ch.settled && ch.settleBlock !== 0n;
const isLive = (ch: ModelChannel) => !ch.settled;

function pick(ref: ChannelRef, all: ModelChannel[], preferred: (ch: ModelChannel) => boolean) {
  const candidates = all.filter(preferred);
  const pool = ref % 8 === 7 ? all : candidates;
  return pool.length === 0 ? undefined : pool[Math.floor(ref / 8) % pool.length];
}

// ---------------------------------------------------------------- test

describe("ChannelManager property: random operation sequences match the model", async () => {
  const f = await deployFixture();
  const provider = f.connection.provider;
  const senders = [f.sender, f.sender2];
  const receivers = [f.receiver, f.receiver2];
  const relayer = f.other;
  const addr = (wallet: Wallet) => getAddress(wallet.account.address);
  const actors = [...senders, ...receivers, relayer, f.deployer];
  const manager = getAddress(f.manager.address);
  const initialBalances = await Promise.all(actors.map((a) => f.token.read.balanceOf([addr(a)])));
  assert.equal(await f.token.read.balanceOf([manager]), 0n);
  let snapshot = (await provider.request({ method: "evm_snapshot" })) as Hex;

  /** Restores the freshly deployed chain; a snapshot can be reverted to only once, so take the next one. */
  async function resetChain() {
    assert.equal(await provider.request({ method: "evm_revert", params: [snapshot] }), true);
    snapshot = (await provider.request({ method: "evm_snapshot" })) as Hex;
  }

  const nextBlock = async () => (await f.publicClient.getBlockNumber({ cacheTime: 0 })) + 1n;

  /** Sends a transaction the model expects to succeed (returning its block) or to revert with `expected`. */
  async function send(expected: Revert | undefined, write: () => Promise<Hex>): Promise<bigint | undefined> {
    if (expected) {
      await expectRevert(write(), expected.name, expected.args);
      return undefined;
    }
    const receipt = await f.publicClient.getTransactionReceipt({ hash: await write() });
    assert.equal(receipt.status, "success");
    return receipt.blockNumber;
  }

  const approve = (wallet: Wallet, value: bigint) =>
    f.token.write.approve([manager, value], { account: wallet.account });

  const proofMessage = (ch: ModelChannel, balance: bigint) => ({
    sender: addr(ch.sender),
    receiver: addr(ch.receiver),
    openBlock: ch.openBlock,
    balance,
  });

  const channelId = (ch: ModelChannel) => [addr(ch.sender), addr(ch.receiver), ch.openBlock] as const;

  /** Why the manager must refuse to pay out of `ch` at `balance` in block `block` (withdraw and cooperativeClose). */
  function payoutRevert(ch: ModelChannel, balance: bigint, block: bigint): Revert | undefined {
    if (ch.settled) return { name: "ChannelNotFound", args: channelId(ch) };
    if (ch.settleBlock !== 0n && block > ch.settleBlock) {
      return { name: "ChallengePeriodOver", args: [ch.settleBlock, block] };
    }
    if (balance > ch.deposit) return { name: "BalanceExceedsDeposit", args: [balance, ch.deposit] };
    return undefined;
  }

  function withdrawRevert(ch: ModelChannel, balance: bigint, block: bigint): Revert | undefined {
    const revert = payoutRevert(ch, balance, block);
    if (revert) return revert;
    if (balance <= ch.withdrawn) return { name: "NothingToWithdraw", args: [balance, ch.withdrawn] };
    return undefined;
  }

  function closeRevert(ch: ModelChannel, balance: bigint, block: bigint): Revert | undefined {
    if (block === ch.openBlock) return { name: "ClosedInOpeningBlock", args: [ch.openBlock] };
    return payoutRevert(ch, balance, block);
  }

  /** The model's settlement: the receiver gets max(balance, withdrawn) in total, the sender the rest. */
  function settleModel(ch: ModelChannel, balance: bigint, expected: Map<Address, bigint>) {
    const total = max(balance, ch.withdrawn);
    const payout = total - ch.withdrawn;
    const refund = ch.deposit - total;
    assert.ok(refund >= 0n, "model: a settlement pays out more than the deposit");
    ch.paid += payout;
    ch.settled = true;
    credit(expected, addr(ch.receiver), payout);
    credit(expected, addr(ch.sender), refund);
  }

  function credit(balances: Map<Address, bigint>, account: Address, value: bigint) {
    balances.set(account, (balances.get(account) ?? 0n) + value);
  }

  async function runSequence(ops: Op[]) {
    await resetChain();
    const channels: ModelChannel[] = [];
    const expected = new Map<Address, bigint>(actors.map((a, i) => [addr(a), initialBalances[i] ?? 0n]));
    let lastBalances = [...initialBalances];

    /** Executes one operation against chain and model; returns the channel(s) it touched, if any. */
    async function step(op: Op): Promise<ModelChannel | BatchTouch | undefined> {
      switch (op.kind) {
        case "open": {
          const sender = senders[op.sender] as Wallet;
          const receiver = receivers[op.receiver] as Wallet;
          const sessionKey = op.signer === "session" ? newSessionKey() : undefined;
          let to = addr(receiver);
          let deposit = op.deposit;
          let signer: Address = sessionKey?.address ?? (op.signer === "self" ? addr(sender) : zeroAddress);
          let revert: Revert | undefined;
          if (op.invalid === "toSelf") {
            to = addr(sender);
            revert = { name: "InvalidReceiver", args: [to] };
          } else if (op.invalid === "signerIsReceiver") {
            signer = to;
            revert = { name: "InvalidSigner", args: [to] };
          } else if (op.invalid === "zeroDeposit") {
            deposit = 0n;
            revert = { name: "ZeroDeposit" };
          }
          await approve(sender, deposit);
          const block = await send(revert, () =>
            f.manager.write.createChannel([to, deposit, signer], { account: sender.account }),
          );
          if (block === undefined) return undefined;
          const ch: ModelChannel = {
            sender,
            receiver,
            openBlock: block,
            deposit,
            withdrawn: 0n,
            settleBlock: 0n,
            closingBalance: 0n,
            // The sender as its own delegate is stored as no delegate.
            signer: sessionKey ? sessionKey.address : zeroAddress,
            sessionKey,
            proofs: [],
            claimed: 0n,
            settled: false,
            paid: 0n,
            receivedOnChain: 0n,
            senderNetOnChain: 0n,
          };
          channels.push(ch);
          credit(expected, addr(sender), -deposit);
          return ch;
        }

        case "topUp": {
          const ch = pick(op.channel, channels, isLive);
          if (!ch) return undefined;
          let revert: Revert | undefined;
          if (op.amount === 0n) revert = { name: "ZeroDeposit" };
          else if (ch.settled) revert = { name: "ChannelNotFound", args: channelId(ch) };
          else if (ch.settleBlock !== 0n) revert = { name: "ChannelClosing", args: [...channelId(ch), ch.settleBlock] };
          await approve(ch.sender, op.amount);
          const block = await send(revert, () =>
            f.manager.write.topUp([addr(ch.receiver), ch.openBlock, op.amount], { account: ch.sender.account }),
          );
          if (block === undefined) return ch;
          ch.deposit += op.amount;
          credit(expected, addr(ch.sender), -op.amount);
          return ch;
        }

        case "pay": {
          // Off chain: the sender (or its session key) signs a higher cumulative balance, sometimes more than the
          // deposit covers yet. Nobody signs for a settled channel any more.
          const ch = pick(op.channel, channels, isLive);
          if (!ch || ch.settled) return undefined;
          const balance = latestBalance(ch) + (ch.deposit * BigInt(op.percent)) / 100n + 1n;
          const signer = op.viaSessionKey && ch.sessionKey ? ch.sessionKey : ch.sender;
          const signature = await signBalanceProof(signer, f.domain, proofMessage(ch, balance));
          ch.proofs.push({ balance, signature });
          return undefined;
        }

        case "withdraw": {
          const ch = pick(op.channel, channels, isLive);
          const proof = ch && (op.olderProof === null ? ch.proofs.at(-1) : ch.proofs[op.olderProof % ch.proofs.length]);
          if (!ch || !proof) return undefined;
          const revert = withdrawRevert(ch, proof.balance, await nextBlock());
          const block = await send(revert, () =>
            f.manager.write.withdraw([addr(ch.sender), ch.openBlock, proof.balance, proof.signature], {
              account: ch.receiver.account,
            }),
          );
          if (block === undefined) return ch;
          credit(expected, addr(ch.receiver), proof.balance - ch.withdrawn);
          ch.paid += proof.balance - ch.withdrawn;
          ch.withdrawn = proof.balance;
          return ch;
        }

        case "batchWithdraw": {
          // Entries usually name the receiver's live channels, sometimes any channel (another receiver's, a settled
          // one); every entry withdraw would refuse must be skipped with its reason, the rest paid in one transfer.
          const receiver = receivers[op.receiver] as Wallet;
          const block = await nextBlock();
          const entries: { sender: Address; openBlock: bigint; balance: bigint; r: Hex; vs: Hex }[] = [];
          const expectedSkips: [bigint, Hex | undefined][] = [];
          const amounts: [ModelChannel, bigint][] = [];
          for (const entry of op.entries) {
            const ch = pick(entry.channel, channels, (c) => isLive(c) && c.receiver === receiver);
            const proof =
              ch && (entry.olderProof === null ? ch.proofs.at(-1) : ch.proofs[entry.olderProof % ch.proofs.length]);
            if (!ch || !proof) continue;
            const { r, yParityAndS } = signatureToCompactSignature(parseSignature(proof.signature));
            const index = BigInt(entries.length);
            entries.push({
              sender: addr(ch.sender),
              openBlock: ch.openBlock,
              balance: proof.balance,
              r,
              vs: yParityAndS,
            });
            const revert =
              ch.receiver === receiver ? withdrawRevert(ch, proof.balance, block) : { name: "ChannelNotFound" };
            if (revert) {
              expectedSkips.push([index, errorSelectors.get(revert.name)]);
              continue;
            }
            amounts.push([ch, proof.balance - ch.withdrawn]);
            ch.paid += proof.balance - ch.withdrawn;
            ch.withdrawn = proof.balance;
          }
          if (entries.length === 0) return undefined;
          const hash = await f.manager.write.batchWithdraw([entries], { account: receiver.account });
          const receipt = await f.publicClient.getTransactionReceipt({ hash });
          assert.equal(receipt.status, "success");
          assert.equal(receipt.blockNumber, block);
          const skipped = parseEventLogs({
            abi: channelManagerAbi,
            logs: receipt.logs,
            eventName: "WithdrawalSkipped",
          });
          assert.deepEqual(
            skipped.map((e) => [e.args.index, e.args.reason]),
            expectedSkips,
          );
          credit(
            expected,
            addr(receiver),
            amounts.reduce((sum, [, amount]) => sum + amount, 0n),
          );
          return { kind: "batch", receiver, amounts };
        }

        case "forge": {
          // Withdrawals the manager must refuse: the whole deposit on a proof the sender never signed, a proof of
          // another channel between the same parties, or a genuine proof submitted by the wrong receiver.
          const ch = pick(op.channel, channels, isLive);
          if (!ch) return undefined;
          const block = await nextBlock();
          let caller = ch.receiver;
          let balance = ch.deposit;
          let signature: Hex;
          let revert: Revert | undefined;
          if (op.by === "replay") {
            const proof = channels
              .filter((c) => c !== ch && c.sender === ch.sender && c.receiver === ch.receiver)
              .flatMap((c) => c.proofs)
              .at(-1);
            if (!proof) return undefined;
            ({ balance, signature } = proof);
            revert = withdrawRevert(ch, balance, block) ?? { name: "InvalidBalanceProofSigner" };
          } else if (op.by === "otherReceiver") {
            const proof = ch.proofs.at(-1);
            if (!proof) return undefined;
            ({ balance, signature } = proof);
            caller = receivers.find((r) => r !== ch.receiver) as Wallet;
            revert = { name: "ChannelNotFound", args: [addr(ch.sender), addr(caller), ch.openBlock] };
          } else {
            const forger =
              op.by === "receiver"
                ? ch.receiver
                : op.by === "otherSender"
                  ? (senders.find((s) => s !== ch.sender) as Wallet)
                  : (channels.find((c) => c !== ch && c.sessionKey)?.sessionKey ?? newSessionKey());
            const forgerAddress = "account" in forger ? addr(forger) : forger.address;
            signature = await signBalanceProof(forger, f.domain, proofMessage(ch, balance));
            revert = withdrawRevert(ch, balance, block) ?? {
              name: "InvalidBalanceProofSigner",
              args: [forgerAddress, addr(ch.sender), ch.signer],
            };
          }
          await send(revert, () =>
            f.manager.write.withdraw([addr(ch.sender), ch.openBlock, balance, signature], {
              account: caller.account,
            }),
          );
          return ch;
        }

        case "cooperativeClose":
        case "challenge": {
          // A challenge is the receiver closing cooperatively during the challenge period with its best proof the
          // deposit covers, without a closing signature of its own.
          const challenge = op.kind === "challenge";
          const ch = pick(op.channel, channels, challenge ? isClosing : isLive);
          if (!ch) return undefined;
          let proof: Proof | undefined;
          if (challenge) {
            proof = ch.proofs.findLast((p) => p.balance <= ch.deposit);
            if (!proof) return undefined;
          } else {
            proof = op.olderProof === null ? ch.proofs.at(-1) : ch.proofs[op.olderProof % ch.proofs.length];
            if (!proof && !ch.settled) {
              // Nothing paid yet: the sender signs a zero balance to close.
              proof = { balance: 0n, signature: await signBalanceProof(ch.sender, f.domain, proofMessage(ch, 0n)) };
              ch.proofs.push(proof);
            }
            if (!proof) return undefined;
          }
          const by = challenge ? "receiver" : op.by;
          const balance = by === "senderForgingReceiver" ? 0n : proof.balance;
          const block = await nextBlock();
          let revert = closeRevert(ch, balance, block);
          let closingSignature: Hex = "0x";
          if (by === "senderForgingReceiver") {
            // The sender tries to close at zero with a "closing signature" it made itself.
            closingSignature = await signClosingAgreement(ch.sender, f.domain, proofMessage(ch, balance));
            revert ??= { name: "InvalidClosingSigner", args: [addr(ch.sender), addr(ch.receiver)] };
          } else if (by !== "receiver") {
            closingSignature = await signClosingAgreement(ch.receiver, f.domain, proofMessage(ch, balance));
          }
          const balanceSignature: Hex = by === "sender" || by === "senderForgingReceiver" ? "0x" : proof.signature;
          const caller = by === "relayer" ? relayer : by === "receiver" ? ch.receiver : ch.sender;
          const mined = await send(revert, () =>
            f.manager.write.cooperativeClose([...channelId(ch), balance, balanceSignature, closingSignature], {
              account: caller.account,
            }),
          );
          if (mined !== undefined) settleModel(ch, balance, expected);
          return ch;
        }

        case "uncooperativeClose": {
          const ch = pick(op.channel, channels, (c) => isLive(c) && !isClosing(c));
          if (!ch) return undefined;
          const p = BigInt(op.percent);
          const latest = latestBalance(ch);
          const claim =
            op.claim === "belowWithdrawn"
              ? (ch.withdrawn * p) / 100n
              : op.claim === "belowLatest"
                ? ch.withdrawn + ((max(latest, ch.withdrawn) - ch.withdrawn) * p) / 100n
                : op.claim === "latest"
                  ? latest
                  : op.claim === "aboveLatest"
                    ? latest + ((max(ch.deposit, latest) - latest) * p) / 100n
                    : ch.deposit + 1n + p;
          const caller = op.byStranger ? relayer : ch.sender;
          let revert: Revert | undefined;
          if (op.byStranger)
            revert = { name: "ChannelNotFound", args: [addr(caller), addr(ch.receiver), ch.openBlock] };
          else if (ch.settled) revert = { name: "ChannelNotFound", args: channelId(ch) };
          else if (ch.settleBlock !== 0n) revert = { name: "ChannelClosing", args: [...channelId(ch), ch.settleBlock] };
          else if (claim > ch.deposit) revert = { name: "BalanceExceedsDeposit", args: [claim, ch.deposit] };
          const block = await send(revert, () =>
            f.manager.write.uncooperativeClose([addr(ch.receiver), ch.openBlock, claim], {
              account: caller.account,
            }),
          );
          if (block === undefined) return ch;
          ch.settleBlock = block + CHALLENGE_PERIOD;
          ch.closingBalance = claim;
          ch.claimed = max(ch.claimed, claim);
          return ch;
        }

        case "mine":
          await f.networkHelpers.mine(op.blocks);
          return undefined;

        case "mineToChallengeEnd": {
          // Lands the next transaction exactly on the last block of a challenge period, or on the first after it.
          const ch = pick(op.channel, channels, isClosing);
          if (!ch || !isClosing(ch)) return undefined;
          const blocks = ch.settleBlock + (op.after ? 1n : 0n) - (await nextBlock());
          if (blocks > 0n) await f.networkHelpers.mine(blocks);
          return undefined;
        }

        case "settle": {
          const ch = pick(op.channel, channels, isClosing);
          if (!ch) return undefined;
          const block = await nextBlock();
          let revert: Revert | undefined;
          if (ch.settled) revert = { name: "ChannelNotFound", args: channelId(ch) };
          else if (ch.settleBlock === 0n) revert = { name: "ChannelNotClosing", args: channelId(ch) };
          else if (block <= ch.settleBlock) revert = { name: "ChallengePeriodNotOver", args: [ch.settleBlock, block] };
          const caller = op.by === "relayer" ? relayer : op.by === "receiver" ? ch.receiver : ch.sender;
          const mined = await send(revert, () => f.manager.write.settle(channelId(ch), { account: caller.account }));
          if (mined !== undefined) settleModel(ch, ch.closingBalance, expected);
          return ch;
        }
      }
    }

    /** The invariants, checked against the chain after every step. */
    async function check(touched: ModelChannel | BatchTouch | undefined, op: Op) {
      const [managerBalance, balances, infos] = await Promise.all([
        f.token.read.balanceOf([manager]),
        Promise.all(actors.map((a) => f.token.read.balanceOf([addr(a)]))),
        Promise.all(channels.map((ch) => f.manager.read.getChannelInfo(channelId(ch)))),
      ]);

      // 3. On-chain channel state equals the model's (a settled channel is deleted).
      let owed = 0n;
      let owedOnChain = 0n;
      for (const [i, ch] of channels.entries()) {
        const [, deposit, withdrawn, settleBlock, closingBalance, signer] = infos[i] ?? assert.fail("missing info");
        assert.deepEqual(
          { deposit, withdrawn, settleBlock, closingBalance, signer: getAddress(signer) },
          ch.settled
            ? { deposit: 0n, withdrawn: 0n, settleBlock: 0n, closingBalance: 0n, signer: zeroAddress }
            : {
                deposit: ch.deposit,
                withdrawn: ch.withdrawn,
                settleBlock: ch.settleBlock,
                closingBalance: ch.closingBalance,
                signer: ch.signer,
              },
          `channel ${i} state after ${op.kind}`,
        );
        if (!ch.settled) owed += ch.deposit - ch.withdrawn;
        owedOnChain += deposit - withdrawn;
      }

      // 1. The manager holds exactly what it still owes on live channels.
      assert.equal(managerBalance, owed, `manager balance vs model after ${op.kind}`);
      assert.equal(managerBalance, owedOnChain, `manager balance vs on-chain channels after ${op.kind}`);

      // 2. Token flows. A step touches at most one channel, so the balance changes of its sender and receiver are
      // that channel's flows; nobody else's balance may move. A batch withdrawal pays its receiver the sum of its
      // channels' amounts in one transfer and moves no sender's balance.
      for (const [i, actor] of actors.entries()) {
        const balance = balances[i] ?? 0n;
        const delta = balance - (lastBalances[i] ?? 0n);
        assert.equal(balance, expected.get(addr(actor)), `balance of actor ${i} after ${op.kind}`);
        if (touched && "kind" in touched) {
          if (actor === touched.receiver) {
            assert.equal(
              delta,
              touched.amounts.reduce((sum, [, amount]) => sum + amount, 0n),
              "batch transfer",
            );
            for (const [ch, amount] of touched.amounts) ch.receivedOnChain += amount;
          } else {
            assert.equal(delta, 0n, `actor ${i} not the receiver of ${op.kind} but its balance moved`);
          }
        } else if (touched && actor === touched.receiver) touched.receivedOnChain += delta;
        else if (touched && actor === touched.sender) touched.senderNetOnChain += delta;
        else assert.equal(delta, 0n, `actor ${i} not party to ${op.kind} but its balance moved`);
      }
      lastBalances = balances;

      for (const [i, ch] of channels.entries()) {
        assert.equal(ch.receivedOnChain, ch.paid, `channel ${i}: receiver paid vs model`);
        assert.ok(
          ch.receivedOnChain <= authorised(ch),
          `channel ${i}: receiver got ${ch.receivedOnChain}, more than the sender authorised (${authorised(ch)})`,
        );
        // While open the sender has paid in exactly the deposit; once settled it got back the deposit minus
        // exactly what the receiver was paid.
        const senderRefund = ch.deposit + ch.senderNetOnChain;
        assert.equal(senderRefund, ch.settled ? ch.deposit - ch.receivedOnChain : 0n, `channel ${i}: sender refund`);
      }
      for (const [r, receiver] of receivers.entries()) {
        const index = actors.indexOf(receiver);
        const received = (balances[index] ?? 0n) - (initialBalances[index] ?? 0n);
        const ceiling = channels.filter((ch) => ch.receiver === receiver).reduce((sum, ch) => sum + authorised(ch), 0n);
        assert.ok(received <= ceiling, `receiver ${r} got ${received}, more than ever signed to it (${ceiling})`);
      }
    }

    for (const [i, op] of ops.entries()) {
      try {
        await check(await step(op), op);
      } catch (error) {
        throw new Error(`step ${i} (${op.kind}) failed`, { cause: error });
      }
    }
  }

  it("keeps the manager solvent, pays only what was signed, and matches the model after every step", async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: MAX_OPS, size: "max" }), runSequence), {
      numRuns: NUM_RUNS,
      seed: SEED,
    });
  });
});
