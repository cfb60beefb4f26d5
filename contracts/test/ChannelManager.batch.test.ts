// batchWithdraw: a receiver withdraws from many channels and is paid in one token transfer. An entry that
// `withdraw` would revert on is skipped and reported, so no sender can make the batch fail for the others.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  maxUint256,
  parseEventLogs,
  parseSignature,
  signatureToCompactSignature,
  toFunctionSelector,
} from "viem";
import {
  CHALLENGE_PERIOD,
  deployFixture,
  newSessionKey,
  signBalanceProof,
  signClosingAgreement,
  TOKENS,
  zeroAddress,
} from "./fixture.ts";

/** The selectors of the manager's errors by name: `WithdrawalSkipped` reports a skipped entry's reason with one. */
const errorSelectors = new Map<string, Hex>(
  channelManagerAbi.flatMap((item) =>
    item.type === "error"
      ? [[item.name, toFunctionSelector(`${item.name}(${item.inputs.map((input) => input.type).join(",")})`)]]
      : [],
  ),
);
function selector(name: string) {
  const found = errorSelectors.get(name);
  assert.ok(found, `no error ${name} in the manager's ABI`);
  return found;
}

/** The ERC-2098 compact form `batchWithdraw` takes. */
function compact(signature: Hex) {
  const { r, yParityAndS } = signatureToCompactSignature(parseSignature(signature));
  return { r, vs: yParityAndS };
}

describe("batchWithdraw", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const sender2 = getAddress(f.sender2.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const deposit = 10n * TOKENS;

  async function entry(from: typeof f.sender, openBlock: bigint, balance: bigint, signer?: typeof f.sender) {
    const message = { sender: getAddress(from.account.address), receiver, openBlock, balance };
    return {
      sender: message.sender,
      openBlock,
      balance,
      ...compact(await signBalanceProof(signer ?? from, f.domain, message)),
    };
  }
  type Entry = Awaited<ReturnType<typeof entry>>;
  async function batch(entries: Entry[]) {
    const { result } = await f.manager.simulate.batchWithdraw([entries], { account: receiver });
    const mined = await f.mined(await f.manager.write.batchWithdraw([entries], as(f.receiver)));
    const transfers = parseEventLogs({ abi: f.token.abi, logs: mined.receipt.logs, eventName: "Transfer" });
    return { ...mined, result, transfers };
  }
  const skipped = (events: Awaited<ReturnType<typeof batch>>["events"]) =>
    events.flatMap((e) => (e.eventName === "WithdrawalSkipped" ? [[e.args.index, e.args.reason]] : []));

  it("pays many channels of one receiver with one transfer and reports each like withdraw", async () => {
    const channels = [
      [f.sender, await f.openChannel(f.sender, receiver, deposit)],
      [f.sender2, await f.openChannel(f.sender2, receiver, deposit)],
      [f.sender, await f.openChannel(f.sender, receiver, deposit)],
    ] as const;
    await f.mined(
      await f.manager.write.withdraw(
        [
          sender,
          channels[0][1],
          1n * TOKENS,
          await signBalanceProof(f.sender, f.domain, {
            sender,
            receiver,
            openBlock: channels[0][1],
            balance: 1n * TOKENS,
          }),
        ],
        as(f.receiver),
      ),
    );
    const before = await f.balanceOf(receiver);
    const entries = await Promise.all(
      channels.map(([from, openBlock], i) => entry(from, openBlock, BigInt(i + 2) * TOKENS)),
    );
    const { events, result, transfers } = await batch(entries);
    // 2 - 1 already withdrawn, then 3 and 4.
    assert.equal(result, 8n * TOKENS);
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [
        [
          "ChannelWithdrawn",
          { sender, receiver, openBlock: channels[0][1], amount: 1n * TOKENS, withdrawn: 2n * TOKENS },
        ],
        [
          "ChannelWithdrawn",
          { sender: sender2, receiver, openBlock: channels[1][1], amount: 3n * TOKENS, withdrawn: 3n * TOKENS },
        ],
        [
          "ChannelWithdrawn",
          { sender, receiver, openBlock: channels[2][1], amount: 4n * TOKENS, withdrawn: 4n * TOKENS },
        ],
      ],
    );
    assert.deepEqual(
      transfers.map((t) => t.args),
      [{ from: getAddress(f.manager.address), to: receiver, value: 8n * TOKENS }],
    );
    assert.equal((await f.balanceOf(receiver)) - before, 8n * TOKENS);
    for (const [[from, openBlock], withdrawn] of channels.map((c, i) => [c, BigInt(i + 2) * TOKENS] as const)) {
      const info = await f.channelInfo(getAddress(from.account.address), receiver, openBlock);
      assert.equal(info.withdrawn, withdrawn);
    }
  });

  it("skips and reports every entry withdraw would refuse, and pays the others", async () => {
    const good = await f.openChannel(f.sender, receiver, deposit);
    const alsoGood = await f.openChannel(f.sender2, receiver, deposit);
    const forged = await f.openChannel(f.sender, receiver, deposit);
    const settled = await f.openChannel(f.sender, receiver, deposit);
    const withdrawn = await f.openChannel(f.sender, receiver, deposit);
    const closing = await f.openChannel(f.sender, receiver, deposit);
    // settled: closed cooperatively; withdrawn: already paid up to 5; closing: challenge period over.
    const message = (openBlock: bigint, balance: bigint) => ({ sender, receiver, openBlock, balance });
    await f.manager.write.cooperativeClose(
      [
        sender,
        receiver,
        settled,
        1n,
        await signBalanceProof(f.sender, f.domain, message(settled, 1n)),
        await signClosingAgreement(f.receiver, f.domain, message(settled, 1n)),
      ],
      as(f.other),
    );
    await f.mined(
      await f.manager.write.withdraw(
        [sender, withdrawn, 5n * TOKENS, await signBalanceProof(f.sender, f.domain, message(withdrawn, 5n * TOKENS))],
        as(f.receiver),
      ),
    );
    const { receipt } = await f.mined(await f.manager.write.uncooperativeClose([receiver, closing, 1n], as(f.sender)));
    // One block past the challenge period, so the simulation (at the latest block) sees it over too.
    await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD + 1n);

    // In the compact form a malleated signature's s (above n/2) almost always needs the bit that holds yParity, so
    // it cannot even be written; the few high values that fit are refused.
    const highS = `0x7${"f".repeat(63)}` as Hex;
    const entries = [
      await entry(f.sender, good, 2n * TOKENS),
      await entry(f.sender, forged, 2n * TOKENS, f.other), // signed by someone else
      await entry(f.sender, settled, 2n * TOKENS), // no such channel any more
      await entry(f.sender, withdrawn, 5n * TOKENS), // nothing owed
      await entry(f.sender, forged, deposit + 1n), // above the deposit
      await entry(f.sender, closing, 2n * TOKENS), // challenge period over
      { ...(await entry(f.sender, forged, 2n * TOKENS)), vs: highS }, // high s
      { ...(await entry(f.sender, forged, 2n * TOKENS)), r: `0x${"00".repeat(32)}` as Hex }, // recovers nobody
      await entry(f.sender2, alsoGood, 3n * TOKENS),
    ];
    const before = await f.balanceOf(receiver);
    const { events, result } = await batch(entries);
    assert.equal(result, 5n * TOKENS);
    assert.equal((await f.balanceOf(receiver)) - before, 5n * TOKENS);
    assert.deepEqual(skipped(events), [
      [1n, selector("InvalidBalanceProofSigner")],
      [2n, selector("ChannelNotFound")],
      [3n, selector("NothingToWithdraw")],
      [4n, selector("BalanceExceedsDeposit")],
      [5n, selector("ChallengePeriodOver")],
      [6n, selector("ECDSAInvalidSignatureS")],
      [7n, selector("ECDSAInvalidSignature")],
    ]);
    const skip = events.find((e) => e.eventName === "WithdrawalSkipped");
    assert.deepEqual(skip?.args, {
      sender,
      receiver,
      openBlock: forged,
      index: 1n,
      reason: selector("InvalidBalanceProofSigner"),
    });
    // Nothing changed on the skipped channels.
    assert.equal((await f.channelInfo(sender, receiver, forged)).withdrawn, 0n);
    assert.equal((await f.channelInfo(sender, receiver, withdrawn)).withdrawn, 5n * TOKENS);
  });

  it("a receiver's batch cannot touch another receiver's channel, even with that channel's proof", async () => {
    const theirs = await f.openChannel(f.sender, getAddress(f.receiver2.account.address), deposit);
    const proof = await signBalanceProof(f.sender, f.domain, {
      sender,
      receiver: getAddress(f.receiver2.account.address),
      openBlock: theirs,
      balance: 1n * TOKENS,
    });
    const { events, result, transfers } = await batch([
      { sender, openBlock: theirs, balance: 1n * TOKENS, ...compact(proof) },
    ]);
    assert.equal(result, 0n);
    assert.deepEqual(skipped(events), [[0n, selector("ChannelNotFound")]]);
    assert.deepEqual(transfers, []);
  });

  it("a channel listed twice pays up to its highest balance, once", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, deposit);
    const { result, events } = await batch([
      await entry(f.sender, openBlock, 3n * TOKENS),
      await entry(f.sender, openBlock, 5n * TOKENS),
      await entry(f.sender, openBlock, 4n * TOKENS),
    ]);
    assert.equal(result, 5n * TOKENS);
    assert.deepEqual(skipped(events), [[2n, selector("NothingToWithdraw")]]);
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).withdrawn, 5n * TOKENS);
  });

  it("accepts a session key's proofs on its channel, during a challenge period too", async () => {
    const session = newSessionKey();
    const openBlock = await f.openChannel(f.sender, receiver, deposit, session.address);
    await f.mined(await f.manager.write.uncooperativeClose([receiver, openBlock, 1n], as(f.sender)));
    const signature = await signBalanceProof(session, f.domain, { sender, receiver, openBlock, balance: 6n * TOKENS });
    const { result } = await batch([{ sender, openBlock, balance: 6n * TOKENS, ...compact(signature) }]);
    assert.equal(result, 6n * TOKENS);
  });

  it("an empty or all-skipped batch succeeds and transfers nothing", async () => {
    assert.deepEqual((await batch([])).transfers, []);
    const openBlock = await f.openChannel(f.sender, receiver, deposit);
    const { transfers, result } = await batch([await entry(f.sender, openBlock, 0n)]);
    assert.equal(result, 0n);
    assert.deepEqual(transfers, []);
  });
});

describe("batchWithdraw with tokens that misbehave", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });

  const managerFor = (token: Address) => f.viem.deployContract("ChannelManager", [token, CHALLENGE_PERIOD]);

  it("a refused transfer becomes the receiver's credit; the channels count as withdrawn", async () => {
    const token = await f.viem.deployContract("BlocklistToken");
    const manager = await managerFor(token.address);
    const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
    await token.write.mint([sender, 100n * TOKENS]);
    await token.write.approve([manager.address, maxUint256], as(f.sender));
    const openBlocks: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const { receipt } = await f.mined(
        await manager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
      );
      openBlocks.push(receipt.blockNumber);
    }
    const entries = await Promise.all(
      openBlocks.map(async (openBlock) => ({
        sender,
        openBlock,
        balance: 2n * TOKENS,
        ...compact(await signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance: 2n * TOKENS })),
      })),
    );
    await token.write.setBlocked([receiver, true]);
    const { events } = await f.mined(await manager.write.batchWithdraw([entries], as(f.receiver)));
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelWithdrawn", "ChannelWithdrawn", "PayoutDeferred"],
    );
    assert.equal(await manager.read.claimable([receiver]), 4n * TOKENS);
    const [, , withdrawn] = await manager.read.getChannelInfo([sender, receiver, openBlocks[0] ?? 0n]);
    assert.equal(withdrawn, 2n * TOKENS);
  });

  it("a token re-entering batchWithdraw while paying out cannot pay the batch twice", async () => {
    const hostile = await f.viem.deployContract("ReentrantToken");
    const manager = await managerFor(hostile.address);
    const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
    await hostile.write.mint([sender, 100n * TOKENS]);
    await hostile.write.approve([manager.address, maxUint256], as(f.sender));
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    const openBlock = receipt.blockNumber;
    const entries = [
      {
        sender,
        openBlock,
        balance: 4n * TOKENS,
        ...compact(await signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance: 4n * TOKENS })),
      },
    ];
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "batchWithdraw", args: [entries] }),
    ]);
    await f.mined(await manager.write.batchWithdraw([entries], as(f.receiver)));
    assert.equal(await hostile.read.reentrySucceeded(), false);
    assert.equal((await hostile.read.reentryError()).slice(0, 10), "0x3ee5aeb5"); // ReentrancyGuardReentrantCall()
    assert.equal(await hostile.read.balanceOf([receiver]), 4n * TOKENS);
  });
});
