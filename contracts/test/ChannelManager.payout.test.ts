// Settlement that no token can block: with a token that refuses one party (a blocklist that reverts or returns
// false, a receive hook that reverts or burns its gas), the other party is still paid at once and the refused
// payout becomes a credit its owner claims later, to an address of its choice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, encodeFunctionData, getAddress, maxUint256 } from "viem";
import {
  CHALLENGE_PERIOD,
  deployFixture,
  expectRevert,
  signBalanceProof,
  signClosingAgreement,
  TOKENS,
  zeroAddress,
} from "./fixture.ts";

const deposit = 100n * TOKENS;

describe("payouts with a blocklisting token", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const other = getAddress(f.other.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const token = await f.viem.deployContract("BlocklistToken");
  const manager = await f.viem.deployContract("ChannelManager", [token.address, CHALLENGE_PERIOD]);
  const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
  await token.write.mint([sender, 1_000_000n * TOKENS]);
  await token.write.approve([manager.address, maxUint256], as(f.sender));

  const proof = (openBlock: bigint, balance: bigint) =>
    signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance });
  const closing = (openBlock: bigint, balance: bigint) =>
    signClosingAgreement(f.receiver, domain, { sender, receiver, openBlock, balance });
  const balanceOf = (address: Address) => token.read.balanceOf([address]);

  async function open() {
    const hash = await manager.write.createChannel([receiver, deposit, zeroAddress], as(f.sender));
    return (await f.mined(hash)).receipt.blockNumber;
  }
  /** Runs `block` with `account` blocklisted (failing by revert, or quietly by returning false). */
  async function whileBlocked<T>(account: Address, quietly: boolean, block: () => Promise<T>): Promise<T> {
    await token.write.setBlocked([account, true]);
    await token.write.setFailQuietly([quietly]);
    try {
      return await block();
    } finally {
      await token.write.setBlocked([account, false]);
      await token.write.setFailQuietly([false]);
    }
  }
  /** The manager events of a transaction, by name (ChannelSettled, PayoutDeferred, ...). */
  const named = (events: Awaited<ReturnType<typeof f.mined>>["events"]) => events.map((e) => [e.eventName, e.args]);
  /** Empties `wallet`'s credit so the next case starts from zero. */
  async function claimAll(wallet: typeof f.sender) {
    if ((await manager.read.claimable([wallet.account.address])) > 0n) {
      await f.mined(await manager.write.claim(as(wallet)));
    }
  }

  for (const quietly of [false, true]) {
    const how = quietly ? "returns false" : "reverts";

    it(`settle: the token ${how} for the sender; the receiver is paid and the refund becomes a credit`, async () => {
      const openBlock = await open();
      const { receipt } = await f.mined(
        await manager.write.uncooperativeClose([receiver, openBlock, 30n * TOKENS], as(f.sender)),
      );
      await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
      const before = await balanceOf(receiver);
      const { events } = await whileBlocked(sender, quietly, async () =>
        f.mined(await manager.write.settle([sender, receiver, openBlock], as(f.receiver))),
      );
      assert.deepEqual(named(events), [
        [
          "ChannelSettled",
          {
            sender,
            receiver,
            openBlock,
            balance: 30n * TOKENS,
            receiverPayout: 30n * TOKENS,
            senderRefund: 70n * TOKENS,
          },
        ],
        ["PayoutDeferred", { account: sender, amount: 70n * TOKENS, credit: 70n * TOKENS }],
      ]);
      assert.equal((await balanceOf(receiver)) - before, 30n * TOKENS);
      assert.equal(await manager.read.claimable([sender]), 70n * TOKENS);
      await claimAll(f.sender);
    });

    it(`settle: the token ${how} for the receiver; the sender is refunded and the payout becomes a credit`, async () => {
      const openBlock = await open();
      const { receipt } = await f.mined(
        await manager.write.uncooperativeClose([receiver, openBlock, 30n * TOKENS], as(f.sender)),
      );
      await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
      const before = await balanceOf(sender);
      const { events } = await whileBlocked(receiver, quietly, async () =>
        f.mined(await manager.write.settle([sender, receiver, openBlock], as(f.sender))),
      );
      assert.deepEqual(named(events).slice(1), [
        ["PayoutDeferred", { account: receiver, amount: 30n * TOKENS, credit: 30n * TOKENS }],
      ]);
      assert.equal((await balanceOf(sender)) - before, 70n * TOKENS);
      assert.equal(await manager.read.claimable([receiver]), 30n * TOKENS);
      await claimAll(f.receiver);
    });

    it(`cooperativeClose: the token ${how} for the sender, then for the receiver; the other is paid`, async () => {
      for (const [refused, paid] of [
        [sender, receiver],
        [receiver, sender],
      ] as const) {
        const openBlock = await open();
        await f.networkHelpers.mine(1);
        const balance = 40n * TOKENS;
        const args = [
          sender,
          receiver,
          openBlock,
          balance,
          await proof(openBlock, balance),
          await closing(openBlock, balance),
        ] as const;
        const before = await balanceOf(paid);
        const { events } = await whileBlocked(refused, quietly, async () =>
          f.mined(await manager.write.cooperativeClose(args, as(f.other))),
        );
        const owedToRefused = refused === receiver ? balance : deposit - balance;
        assert.deepEqual(named(events).at(-1), [
          "PayoutDeferred",
          { account: refused, amount: owedToRefused, credit: owedToRefused },
        ]);
        assert.equal((await balanceOf(paid)) - before, deposit - owedToRefused);
        assert.equal((await manager.read.getChannelInfo([sender, receiver, openBlock]))[1], 0n);
        assert.equal(await manager.read.claimable([refused]), owedToRefused);
        await claimAll(refused === sender ? f.sender : f.receiver);
      }
    });

    it(`withdraw: the token ${how} for the receiver; the amount counts as withdrawn and becomes a credit`, async () => {
      const openBlock = await open();
      const { events } = await whileBlocked(receiver, quietly, async () =>
        f.mined(
          await manager.write.withdraw(
            [sender, openBlock, 10n * TOKENS, await proof(openBlock, 10n * TOKENS)],
            as(f.receiver),
          ),
        ),
      );
      assert.deepEqual(named(events), [
        ["ChannelWithdrawn", { sender, receiver, openBlock, amount: 10n * TOKENS, withdrawn: 10n * TOKENS }],
        ["PayoutDeferred", { account: receiver, amount: 10n * TOKENS, credit: 10n * TOKENS }],
      ]);
      const [, , withdrawn] = await manager.read.getChannelInfo([sender, receiver, openBlock]);
      assert.equal(withdrawn, 10n * TOKENS);
      // A blocked sender does not stop the receiver's withdrawal: the sender is not paid by it.
      const before = await balanceOf(receiver);
      await whileBlocked(sender, quietly, async () =>
        f.mined(
          await manager.write.withdraw(
            [sender, openBlock, 25n * TOKENS, await proof(openBlock, 25n * TOKENS)],
            as(f.receiver),
          ),
        ),
      );
      assert.equal((await balanceOf(receiver)) - before, 15n * TOKENS);
      assert.equal(await manager.read.claimable([receiver]), 10n * TOKENS);
      await claimAll(f.receiver);
    });
  }

  it("credits add up; claim pays them to their owner once the token lets it receive, and only then", async () => {
    const first = await open();
    const second = await open();
    await whileBlocked(receiver, false, async () => {
      for (const [openBlock, balance] of [
        [first, 3n * TOKENS],
        [second, 4n * TOKENS],
      ] as const) {
        await f.mined(
          await manager.write.withdraw([sender, openBlock, balance, await proof(openBlock, balance)], as(f.receiver)),
        );
      }
      assert.equal(await manager.read.claimable([receiver]), 7n * TOKENS);
      // Still blocked: the claim reverts and the credit stays. The manager never pays a credit elsewhere, so it
      // is no way around the token's blocklist.
      await expectRevert(manager.write.claim(as(f.receiver)), "Blocklisted", [receiver], token.abi);
    });
    assert.equal(await manager.read.claimable([receiver]), 7n * TOKENS);
    const before = await balanceOf(receiver);
    const { events } = await f.mined(await manager.write.claim(as(f.receiver)));
    assert.deepEqual(named(events), [["CreditClaimed", { account: receiver, amount: 7n * TOKENS }]]);
    assert.equal((await balanceOf(receiver)) - before, 7n * TOKENS);
    assert.equal(await manager.read.claimable([receiver]), 0n);
    await expectRevert(manager.write.claim(as(f.receiver)), "NothingToClaim", [receiver]);
    // Nobody can claim someone else's credit: claim only ever pays the caller's own.
    await expectRevert(manager.write.claim(as(f.other)), "NothingToClaim", [other]);
  });

  it("the manager keeps exactly the credits it owes", async () => {
    const openBlock = await open();
    await f.networkHelpers.mine(1);
    const credits = (await manager.read.claimable([sender])) + (await manager.read.claimable([receiver]));
    const held = await balanceOf(manager.address);
    const args = [sender, receiver, openBlock, 1n, await proof(openBlock, 1n), await closing(openBlock, 1n)] as const;
    await whileBlocked(sender, false, async () => f.mined(await manager.write.cooperativeClose(args, as(f.other))));
    assert.equal((await balanceOf(manager.address)) - held, -1n);
    assert.equal(
      (await manager.read.claimable([sender])) + (await manager.read.claimable([receiver])) - credits,
      deposit - 1n,
    );
    await claimAll(f.sender);
  });
});

describe("payouts with a token that calls a receive hook", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const token = await f.viem.deployContract("HookToken");
  const manager = await f.viem.deployContract("ChannelManager", [token.address, CHALLENGE_PERIOD]);
  const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
  await token.write.mint([sender, 1_000_000n * TOKENS]);
  await token.write.approve([manager.address, maxUint256], as(f.sender));
  const Mode = { Accept: 0, Revert: 1, BurnGas: 2 } as const;

  /** A receiver that is a contract with a receive hook, refusing payments in the given mode. */
  async function hostileReceiver(mode: number) {
    const recipient = await f.viem.deployContract("RefusingRecipient");
    await recipient.write.register([token.address]);
    await recipient.write.setMode([mode]);
    return recipient;
  }

  for (const [name, mode] of [
    ["reverts", Mode.Revert],
    ["burns all its gas", Mode.BurnGas],
  ] as const) {
    it(`a receiver whose hook ${name} cannot hold the sender's refund hostage`, async () => {
      const recipient = await hostileReceiver(mode);
      const receiver = getAddress(recipient.address);
      const { receipt: opened } = await f.mined(
        await manager.write.createChannel([receiver, deposit, zeroAddress], as(f.sender)),
      );
      const openBlock = opened.blockNumber;
      const { receipt } = await f.mined(
        await manager.write.uncooperativeClose([receiver, openBlock, 30n * TOKENS], as(f.sender)),
      );
      await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
      const before = await token.read.balanceOf([sender]);
      // A fixed gas limit: estimating one against a hook that burns whatever it gets takes seconds.
      const { events } = await f.mined(
        await manager.write.settle([sender, receiver, openBlock], { ...as(f.sender), gas: 5_000_000n }),
      );
      assert.deepEqual(
        events.map((e) => e.eventName),
        ["ChannelSettled", "PayoutDeferred"],
      );
      assert.equal((await token.read.balanceOf([sender])) - before, 70n * TOKENS);
      assert.equal(await manager.read.claimable([receiver]), 30n * TOKENS);

      // Its claim fails while its hook refuses, and succeeds once it accepts.
      const claim = encodeFunctionData({ abi: manager.abi, functionName: "claim" });
      if (mode === Mode.Revert) {
        await assert.rejects(recipient.write.execute([manager.address, claim], as(f.other)), /PaymentRefused/);
      }
      await recipient.write.setMode([Mode.Accept]);
      await f.mined(await recipient.write.execute([manager.address, claim], as(f.other)));
      assert.equal(await token.read.balanceOf([receiver]), 30n * TOKENS);
      assert.equal(await manager.read.claimable([receiver]), 0n);
    });
  }

  it("a receiver's refusing hook does not block its withdraw: the amount becomes its credit", async () => {
    const recipient = await hostileReceiver(Mode.Revert);
    const receiver = getAddress(recipient.address);
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, deposit, zeroAddress], as(f.sender)),
    );
    const balance = 5n * TOKENS;
    const signature = await signBalanceProof(f.sender, domain, {
      sender,
      receiver,
      openBlock: receipt.blockNumber,
      balance,
    });
    const data = encodeFunctionData({
      abi: manager.abi,
      functionName: "withdraw",
      args: [sender, receipt.blockNumber, balance, signature],
    });
    const { events } = await f.mined(await recipient.write.execute([manager.address, data], as(f.other)));
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelWithdrawn", "PayoutDeferred"],
    );
    assert.equal(await manager.read.claimable([receiver]), balance);
  });

  it("a sender whose hook reverts cannot block the receiver's payout in a cooperative close", async () => {
    const recipient = await hostileReceiver(Mode.Accept);
    const hostileSender = getAddress(recipient.address);
    await token.write.mint([hostileSender, deposit]);
    const approve = encodeFunctionData({ abi: token.abi, functionName: "approve", args: [manager.address, deposit] });
    await f.mined(await recipient.write.execute([token.address, approve], as(f.other)));
    const receiver = getAddress(f.receiver.account.address);
    const create = encodeFunctionData({
      abi: manager.abi,
      functionName: "createChannel",
      args: [receiver, deposit, zeroAddress],
    });
    const { receipt } = await f.mined(await recipient.write.execute([manager.address, create], as(f.other)));
    const openBlock = receipt.blockNumber;
    await recipient.write.setMode([Mode.Revert]);
    // The sender closes through the receiver's closing signature, then refuses its own refund.
    const balance = 60n * TOKENS;
    const closingSignature = await signClosingAgreement(f.receiver, domain, {
      sender: hostileSender,
      receiver,
      openBlock,
      balance,
    });
    const close = encodeFunctionData({
      abi: manager.abi,
      functionName: "cooperativeClose",
      args: [hostileSender, receiver, openBlock, balance, "0x", closingSignature],
    });
    const before = await token.read.balanceOf([receiver]);
    const { events } = await f.mined(await recipient.write.execute([manager.address, close], as(f.other)));
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelSettled", "PayoutDeferred"],
    );
    assert.equal((await token.read.balanceOf([receiver])) - before, balance);
    assert.equal(await manager.read.claimable([hostileSender]), deposit - balance);
  });
});

describe("payouts under a gas limit chosen by the caller", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });

  /**
   * Sends `write` with gas limits rising from `from` in steps of `step` until one succeeds, and returns the manager
   * events of that transaction. Every lower limit must fail as a whole: none may pay one party and defer the other.
   */
  async function firstSuccess(write: (gas: bigint) => Promise<`0x${string}`>, from: bigint, step: bigint) {
    for (let gas = from; gas < from + 200n * step; gas += step) {
      // The node refuses a transaction that runs out of gas outright.
      const hash = await write(gas).catch((error: unknown) => {
        assert.match(String(error), /ran out of gas/);
        return undefined;
      });
      if (hash === undefined) continue;
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status === "success") return (await f.mined(hash)).events.map((e) => e.eventName);
    }
    assert.fail("no gas limit succeeded");
  }

  it("a relayer cannot starve a settle or cooperative close of gas to turn a payout into a credit", async () => {
    const openBlock = await f.openChannel();
    const { receipt } = await f.mined(
      await f.manager.write.uncooperativeClose([receiver, openBlock, 30n * TOKENS], as(f.sender)),
    );
    await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
    const settled = await firstSuccess(
      (gas) => f.manager.write.settle([sender, receiver, openBlock], { ...as(f.other), gas }),
      30_000n,
      250n,
    );
    assert.deepEqual(settled, ["ChannelSettled"]);

    const second = await f.openChannel();
    await f.networkHelpers.mine(1);
    const message = { sender, receiver, openBlock: second, balance: 40n * TOKENS };
    const args = [
      sender,
      receiver,
      second,
      40n * TOKENS,
      await signBalanceProof(f.sender, f.domain, message),
      await signClosingAgreement(f.receiver, f.domain, message),
    ] as const;
    const closed = await firstSuccess(
      (gas) => f.manager.write.cooperativeClose(args, { ...as(f.other), gas }),
      40_000n,
      250n,
    );
    assert.deepEqual(closed, ["ChannelSettled"]);
    assert.equal(await f.manager.read.claimable([sender]), 0n);
    assert.equal(await f.manager.read.claimable([receiver]), 0n);
  });
});
