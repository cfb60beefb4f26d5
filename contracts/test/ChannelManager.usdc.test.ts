// The channel manager on USDC's own token (Circle's FiatToken V2.2 behind its proxy): every way in and out of a
// channel, with 6-decimal amounts, USDC's permit domain, and the pull-payment fallback when USDC's blacklist (or
// its pause) refuses a payout.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openAuthorizationTypedData } from "@micro-raiden/web-client/protocol";
import { type Address, getAddress, parseSignature, signatureToCompactSignature } from "viem";
import { deployFiatTokenFixture, expectRevertReason, USDC } from "./fiatTokenFixture.ts";
import { CHALLENGE_PERIOD, expectRevert, newSessionKey, signBalanceProof, signClosingAgreement } from "./fixture.ts";

const BLACKLISTED = "Blacklistable: account is blacklisted";
const deposit = 10n * USDC;

describe("the channel manager on USDC", async () => {
  const f = await deployFiatTokenFixture();
  const { usdc, manager } = f;
  const sender = getAddress(f.sender.account.address);
  const sender2 = getAddress(f.sender2.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: { account: typeof f.sender.account }) => ({ account: wallet.account });

  const proof = (from: typeof f.sender, openBlock: bigint, balance: bigint, to: Address = receiver) =>
    signBalanceProof(from, f.domain, { sender: getAddress(from.account.address), receiver: to, openBlock, balance });
  const closing = (from: Address, openBlock: bigint, balance: bigint) =>
    signClosingAgreement(f.receiver, f.domain, { sender: from, receiver, openBlock, balance });
  /** The manager events of a transaction, by name and arguments. */
  const named = (events: Awaited<ReturnType<typeof f.mined>>["events"]) => events.map((e) => [e.eventName, e.args]);
  /** Pays out `account`'s credit so the next case starts from zero. */
  async function claimAll(wallet: typeof f.sender) {
    if ((await manager.read.claimable([wallet.account.address])) > 0n)
      await f.mined(await manager.write.claim(as(wallet)));
  }
  async function cooperativeClose(from: typeof f.sender, openBlock: bigint, balance: bigint) {
    const owner = getAddress(from.account.address);
    const args = [
      owner,
      receiver,
      openBlock,
      balance,
      await proof(from, openBlock, balance),
      await closing(owner, openBlock, balance),
    ] as const;
    return f.mined(await manager.write.cooperativeClose(args, as(f.other)));
  }
  async function closeUncooperatively(openBlock: bigint, balance: bigint) {
    const { receipt } = await f.mined(
      await manager.write.uncooperativeClose([receiver, openBlock, balance], as(f.sender)),
    );
    await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
  }
  /** The ERC-2098 entry `batchWithdraw` takes. */
  async function entry(from: typeof f.sender, openBlock: bigint, balance: bigint) {
    const { r, yParityAndS } = signatureToCompactSignature(parseSignature(await proof(from, openBlock, balance)));
    return { sender: getAddress(from.account.address), openBlock, balance, r, vs: yParityAndS };
  }

  describe("opening and topping up", () => {
    it("createChannelWithPermit: one transaction with a permit in USDC's domain, with a session key", async () => {
      const p = await f.signPermit(f.sender, deposit);
      const session = getAddress(newSessionKey().address);
      const before = await f.balanceOf(sender);
      const nonce = await usdc.read.nonces([sender]);
      const { receipt, events } = await f.mined(
        await manager.write.createChannelWithPermit(
          [receiver, deposit, session, p.deadline, p.v, p.r, p.s],
          as(f.sender),
        ),
      );
      assert.deepEqual(named(events), [
        ["ChannelCreated", { sender, receiver, openBlock: receipt.blockNumber, deposit, signer: session }],
      ]);
      const info = await f.channelInfo(sender, receiver, receipt.blockNumber);
      assert.equal(info.deposit, deposit);
      assert.equal(info.signer, session);
      assert.equal(await f.balanceOf(sender), before - deposit);
      assert.equal(await usdc.read.allowance([sender, manager.address]), 0n);
      assert.equal(await usdc.read.nonces([sender]), nonce + 1n);
    });

    it("a USDC permit front-run from the mempool does not block the open", async () => {
      const p = await f.signPermit(f.sender, deposit);
      await f.mined(
        await usdc.write.permit([sender, manager.address, deposit, p.deadline, p.v, p.r, p.s], as(f.other)),
      );
      const { receipt } = await f.mined(
        await manager.write.createChannelWithPermit(
          [receiver, deposit, getAddress(newSessionKey().address), p.deadline, p.v, p.r, p.s],
          as(f.sender),
        ),
      );
      assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, deposit);
    });

    it("approve + createChannel, then top-ups by approve + topUp and by topUpWithPermit", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, deposit);
      await usdc.write.approve([manager.address, 1n * USDC], as(f.sender));
      const { events } = await f.mined(await manager.write.topUp([receiver, openBlock, 1n * USDC], as(f.sender)));
      assert.deepEqual(named(events), [
        ["ChannelToppedUp", { sender, receiver, openBlock, added: 1n * USDC, deposit: deposit + 1n * USDC }],
      ]);
      const p = await f.signPermit(f.sender, 2n * USDC);
      await f.mined(
        await manager.write.topUpWithPermit([receiver, openBlock, 2n * USDC, p.deadline, p.v, p.r, p.s], as(f.sender)),
      );
      assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, deposit + 3n * USDC);
      assert.equal(await f.balanceOf(manager.address), await sumOfDeposits());
    });

    it("openOnBehalf: the receiver opens the reader's channel from its USDC permit and authorization", async () => {
      const p = await f.signPermit(f.sender2, deposit);
      const signer = getAddress(newSessionKey().address);
      const nonce = await manager.read.openingNonces([sender2]);
      const authorization = await f.sender2.signTypedData(
        openAuthorizationTypedData(f.domain, {
          sender: sender2,
          receiver,
          deposit,
          signer,
          nonce,
          deadline: p.deadline,
        }),
      );
      const ether = await f.publicClient.getBalance({ address: sender2 });
      const { receipt } = await f.mined(
        await manager.write.openOnBehalf(
          [sender2, receiver, deposit, signer, nonce, p.deadline, authorization, p.v, p.r, p.s],
          as(f.receiver),
        ),
      );
      const info = await f.channelInfo(sender2, receiver, receipt.blockNumber);
      assert.equal(info.deposit, deposit);
      assert.equal(info.signer, signer);
      assert.equal(await f.publicClient.getBalance({ address: sender2 }), ether, "the reader paid no gas");
    });

    it("a paused token or a blacklisted reader opens nothing; the token's own error says why", async () => {
      await f.whilePaused(async () => {
        const p = await f.signPermit(f.sender, deposit);
        await expectRevertReason(
          manager.write.createChannelWithPermit([receiver, deposit, sender, p.deadline, p.v, p.r, p.s], as(f.sender)),
          "Pausable: paused",
        );
      });
      await usdc.write.approve([manager.address, deposit], as(f.sender));
      await f.whileBlacklisted([sender], async () => {
        await expectRevertReason(manager.write.createChannel([receiver, deposit, sender], as(f.sender)), BLACKLISTED);
        // A permit still sets the allowance under V2.2, but the deposit cannot move.
        const p = await f.signPermit(f.sender, deposit);
        await expectRevertReason(
          manager.write.createChannelWithPermit([receiver, deposit, sender, p.deadline, p.v, p.r, p.s], as(f.sender)),
          BLACKLISTED,
        );
      });
      await usdc.write.approve([manager.address, 0n], as(f.sender));
    });
  });

  describe("paying out", () => {
    it("withdraw pays a balance of one base unit (0.000001 USDC), then the rest of a larger one", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      const before = await f.balanceOf(receiver);
      await f.mined(
        await manager.write.withdraw([sender, openBlock, 1n, await proof(f.sender, openBlock, 1n)], as(f.receiver)),
      );
      await f.mined(
        await manager.write.withdraw(
          [sender, openBlock, 1234n, await proof(f.sender, openBlock, 1234n)],
          as(f.receiver),
        ),
      );
      assert.equal((await f.balanceOf(receiver)) - before, 1234n);
      assert.equal((await f.channelInfo(sender, receiver, openBlock)).withdrawn, 1234n);
    });

    it("cooperativeClose pays the receiver its balance and refunds the sender the rest at once", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      await f.networkHelpers.mine(1);
      const balance = 3_250_000n; // 3.25 USDC
      const [senderBefore, receiverBefore] = [await f.balanceOf(sender), await f.balanceOf(receiver)];
      const { events } = await cooperativeClose(f.sender, openBlock, balance);
      assert.deepEqual(named(events), [
        [
          "ChannelSettled",
          { sender, receiver, openBlock, balance, receiverPayout: balance, senderRefund: deposit - balance },
        ],
      ]);
      assert.equal((await f.balanceOf(receiver)) - receiverBefore, balance);
      assert.equal((await f.balanceOf(sender)) - senderBefore, deposit - balance);
      assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 0n);
    });

    it("uncooperativeClose, then settle after the challenge period", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      const { receipt } = await f.mined(
        await manager.write.uncooperativeClose([receiver, openBlock, 4n * USDC], as(f.sender)),
      );
      await expectRevert(manager.write.settle([sender, receiver, openBlock], as(f.sender)), "ChallengePeriodNotOver");
      await f.networkHelpers.mineUpTo(receipt.blockNumber + CHALLENGE_PERIOD);
      const [senderBefore, receiverBefore] = [await f.balanceOf(sender), await f.balanceOf(receiver)];
      await f.mined(await manager.write.settle([sender, receiver, openBlock], as(f.sender)));
      assert.equal((await f.balanceOf(receiver)) - receiverBefore, 4n * USDC);
      assert.equal((await f.balanceOf(sender)) - senderBefore, deposit - 4n * USDC);
    });

    it("batchWithdraw pays many channels with one USDC transfer", async () => {
      const channels = [
        [f.sender, await f.openChannel(f.sender, receiver, deposit)],
        [f.sender2, await f.openChannel(f.sender2, receiver, deposit)],
        [f.sender, await f.openChannel(f.sender, receiver, deposit)],
      ] as const;
      const entries = await Promise.all(
        channels.map(([from, openBlock], i) => entry(from, openBlock, BigInt(i + 1) * USDC)),
      );
      const before = await f.balanceOf(receiver);
      const { receipt, events } = await f.mined(await manager.write.batchWithdraw([entries], as(f.receiver)));
      assert.deepEqual(
        events.map((e) => e.eventName),
        ["ChannelWithdrawn", "ChannelWithdrawn", "ChannelWithdrawn"],
      );
      assert.equal((await f.balanceOf(receiver)) - before, 6n * USDC);
      const transfers = receipt.logs.filter((log) => getAddress(log.address) === getAddress(usdc.address));
      assert.equal(transfers.length, 1, "one token transfer for the whole batch");
    });
  });

  describe("the pull-payment fallback when USDC refuses a payout", () => {
    it("a blacklisted receiver: withdraw, batchWithdraw and cooperativeClose credit it; the sender is paid at once", async () => {
      const first = await f.openChannel(f.sender, receiver, deposit);
      const second = await f.openChannel(f.sender2, receiver, deposit);
      await f.networkHelpers.mine(1);
      const senderBefore = await f.balanceOf(sender);
      await f.whileBlacklisted([receiver], async () => {
        const withdrawn = await f.mined(
          await manager.write.withdraw(
            [sender, first, 1n * USDC, await proof(f.sender, first, 1n * USDC)],
            as(f.receiver),
          ),
        );
        assert.deepEqual(named(withdrawn.events).at(-1), [
          "PayoutDeferred",
          { account: receiver, amount: 1n * USDC, credit: 1n * USDC },
        ]);
        const batch = await f.mined(
          await manager.write.batchWithdraw([[await entry(f.sender2, second, 2n * USDC)]], as(f.receiver)),
        );
        assert.deepEqual(named(batch.events).at(-1), [
          "PayoutDeferred",
          { account: receiver, amount: 2n * USDC, credit: 3n * USDC },
        ]);
        const closed = await cooperativeClose(f.sender, first, 4n * USDC);
        assert.deepEqual(named(closed.events).at(-1), [
          "PayoutDeferred",
          { account: receiver, amount: 3n * USDC, credit: 6n * USDC },
        ]);
        // The sender's refund was not held up by the receiver's blacklisting.
        assert.equal((await f.balanceOf(sender)) - senderBefore, deposit - 4n * USDC);
        // The credit cannot be claimed round the blacklist.
        await expectRevertReason(manager.write.claim(as(f.receiver)), BLACKLISTED);
      });
      assert.equal(await manager.read.claimable([receiver]), 6n * USDC);
      const before = await f.balanceOf(receiver);
      const { events } = await f.mined(await manager.write.claim(as(f.receiver)));
      assert.deepEqual(named(events), [["CreditClaimed", { account: receiver, amount: 6n * USDC }]]);
      assert.equal((await f.balanceOf(receiver)) - before, 6n * USDC);
    });

    it("a blacklisted receiver at settle: the sender is refunded, the receiver credited", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      await closeUncooperatively(openBlock, 2n * USDC);
      const senderBefore = await f.balanceOf(sender);
      const { events } = await f.whileBlacklisted([receiver], async () =>
        f.mined(await manager.write.settle([sender, receiver, openBlock], as(f.sender))),
      );
      assert.deepEqual(named(events).at(-1), [
        "PayoutDeferred",
        { account: receiver, amount: 2n * USDC, credit: 2n * USDC },
      ]);
      assert.equal((await f.balanceOf(sender)) - senderBefore, deposit - 2n * USDC);
      await claimAll(f.receiver);
    });

    it("a blacklisted sender at settle and at cooperativeClose: the receiver is paid, the refund credited", async () => {
      const settled = await f.openChannel(f.sender, receiver, deposit);
      await closeUncooperatively(settled, 3n * USDC);
      const cooperative = await f.openChannel(f.sender, receiver, deposit);
      await f.networkHelpers.mine(1);
      const receiverBefore = await f.balanceOf(receiver);
      await f.whileBlacklisted([sender], async () => {
        const a = await f.mined(await manager.write.settle([sender, receiver, settled], as(f.receiver)));
        assert.deepEqual(named(a.events), [
          [
            "ChannelSettled",
            {
              sender,
              receiver,
              openBlock: settled,
              balance: 3n * USDC,
              receiverPayout: 3n * USDC,
              senderRefund: deposit - 3n * USDC,
            },
          ],
          ["PayoutDeferred", { account: sender, amount: deposit - 3n * USDC, credit: deposit - 3n * USDC }],
        ]);
        const b = await cooperativeClose(f.sender, cooperative, 1n * USDC);
        assert.deepEqual(named(b.events).at(-1), [
          "PayoutDeferred",
          { account: sender, amount: deposit - 1n * USDC, credit: 2n * deposit - 4n * USDC },
        ]);
        await expectRevertReason(manager.write.claim(as(f.sender)), BLACKLISTED);
      });
      assert.equal((await f.balanceOf(receiver)) - receiverBefore, 4n * USDC);
      const before = await f.balanceOf(sender);
      await f.mined(await manager.write.claim(as(f.sender)));
      assert.equal((await f.balanceOf(sender)) - before, 2n * deposit - 4n * USDC);
    });

    it("a paused token: a close still settles the channel, and both payouts wait as credits until unpause", async () => {
      const openBlock = await f.openChannel(f.sender, receiver, deposit);
      await f.networkHelpers.mine(1);
      const { events } = await f.whilePaused(async () => cooperativeClose(f.sender, openBlock, 5n * USDC));
      assert.deepEqual(named(events).slice(1), [
        ["PayoutDeferred", { account: receiver, amount: 5n * USDC, credit: 5n * USDC }],
        ["PayoutDeferred", { account: sender, amount: deposit - 5n * USDC, credit: deposit - 5n * USDC }],
      ]);
      assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 0n);
      await claimAll(f.receiver);
      await claimAll(f.sender);
      assert.equal(await manager.read.claimable([receiver]), 0n);
      assert.equal(await manager.read.claimable([sender]), 0n);
    });
  });

  /** What the manager should hold: every open channel's deposit less withdrawals, plus credits (none left here). */
  async function sumOfDeposits(): Promise<bigint> {
    const created = await manager.getEvents.ChannelCreated({}, { fromBlock: 0n });
    let total = 0n;
    for (const { args } of created) {
      if (!args.sender || !args.receiver || args.openBlock === undefined) continue;
      const info = await f.channelInfo(args.sender, args.receiver, args.openBlock);
      total += info.deposit - info.withdrawn;
    }
    return total + (await manager.read.claimable([sender])) + (await manager.read.claimable([receiver]));
  }
});
