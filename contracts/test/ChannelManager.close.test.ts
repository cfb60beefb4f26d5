// Paying out and closing: withdraw, cooperative close, uncooperative close with its challenge period, and settle,
// including the cases where µRaiden's contract could get stuck.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, getAddress } from "viem";
import {
  CHALLENGE_PERIOD,
  deployFixture,
  expectRevert,
  signBalanceProof,
  signClosingAgreement,
  TOKENS,
} from "./fixture.ts";

describe("closing and settling", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const manager = getAddress(f.manager.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const proof = (openBlock: bigint, balance: bigint) =>
    signBalanceProof(f.sender, f.domain, { sender, receiver, openBlock, balance });
  const closing = (openBlock: bigint, balance: bigint) =>
    signClosingAgreement(f.receiver, f.domain, { sender, receiver, openBlock, balance });
  const deposit = 100n * TOKENS;

  /** Token balances of sender, receiver and manager, to assert exact flows. */
  async function balances() {
    const [s, r, m] = await Promise.all([sender, receiver, manager].map((a: Address) => f.balanceOf(a)));
    return { sender: s ?? 0n, receiver: r ?? 0n, manager: m ?? 0n };
  }
  function delta(before: Awaited<ReturnType<typeof balances>>, after: Awaited<ReturnType<typeof balances>>) {
    return {
      sender: after.sender - before.sender,
      receiver: after.receiver - before.receiver,
      manager: after.manager - before.manager,
    };
  }
  async function closeUncooperatively(openBlock: bigint, balance: bigint) {
    const { receipt } = await f.mined(
      await f.manager.write.uncooperativeClose([receiver, openBlock, balance], as(f.sender)),
    );
    return receipt.blockNumber + CHALLENGE_PERIOD;
  }
  const gone = async (openBlock: bigint) => (await f.channelInfo(sender, receiver, openBlock)).deposit === 0n;

  it("withdraw pays the receiver what it is owed and keeps the channel open", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    const { events } = await f.mined(
      await f.manager.write.withdraw(
        [sender, openBlock, 10n * TOKENS, await proof(openBlock, 10n * TOKENS)],
        as(f.receiver),
      ),
    );
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [["ChannelWithdrawn", { sender, receiver, openBlock, amount: 10n * TOKENS, withdrawn: 10n * TOKENS }]],
    );
    await f.manager.write.withdraw(
      [sender, openBlock, 25n * TOKENS, await proof(openBlock, 25n * TOKENS)],
      as(f.receiver),
    );
    assert.deepEqual(delta(before, await balances()), { sender: 0n, receiver: 25n * TOKENS, manager: -25n * TOKENS });
    const info = await f.channelInfo(sender, receiver, openBlock);
    assert.equal(info.withdrawn, 25n * TOKENS);
    assert.equal(info.deposit, deposit);
  });

  it("withdraw refuses a balance not above what was withdrawn, or above the deposit", async () => {
    const openBlock = await f.openChannel();
    await f.manager.write.withdraw(
      [sender, openBlock, 10n * TOKENS, await proof(openBlock, 10n * TOKENS)],
      as(f.receiver),
    );
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, 10n * TOKENS, await proof(openBlock, 10n * TOKENS)], as(f.receiver)),
      "NothingToWithdraw",
      [10n * TOKENS, 10n * TOKENS],
    );
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, 5n * TOKENS, await proof(openBlock, 5n * TOKENS)], as(f.receiver)),
      "NothingToWithdraw",
    );
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, deposit + 1n, await proof(openBlock, deposit + 1n)], as(f.receiver)),
      "BalanceExceedsDeposit",
      [deposit + 1n, deposit],
    );
  });

  it("cooperativeClose with both signatures, submitted by anyone, pays both sides at once", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    const balance = 30n * TOKENS;
    const { events } = await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, balance, await proof(openBlock, balance), await closing(openBlock, balance)],
        as(f.other),
      ),
    );
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [
        [
          "ChannelSettled",
          { sender, receiver, openBlock, balance, receiverPayout: balance, senderRefund: deposit - balance },
        ],
      ],
    );
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - balance,
      receiver: balance,
      manager: -deposit,
    });
    assert.ok(await gone(openBlock));
  });

  it("cooperativeClose lets each side omit its own signature, but nobody else", async () => {
    const balance = 3n * TOKENS;
    const bySender = await f.openChannel();
    await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, bySender, balance, "0x", await closing(bySender, balance)],
        as(f.sender),
      ),
    );
    assert.ok(await gone(bySender));

    const byReceiver = await f.openChannel();
    await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, byReceiver, balance, await proof(byReceiver, balance), "0x"],
        as(f.receiver),
      ),
    );
    assert.ok(await gone(byReceiver));

    const third = await f.openChannel();
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, third, balance, "0x", await closing(third, balance)],
        as(f.other),
      ),
      "ECDSAInvalidSignatureLength",
      [0n],
    );
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, third, balance, await proof(third, balance), "0x"],
        as(f.other),
      ),
      "ECDSAInvalidSignatureLength",
      [0n],
    );
    // The sender cannot close without the receiver's agreement, nor the receiver without the sender's proof.
    await expectRevert(
      f.manager.write.cooperativeClose([sender, receiver, third, balance, "0x", "0x"], as(f.sender)),
      "ECDSAInvalidSignatureLength",
    );
    await expectRevert(
      f.manager.write.cooperativeClose([sender, receiver, third, balance, "0x", "0x"], as(f.receiver)),
      "ECDSAInvalidSignatureLength",
    );
  });

  it("withdraw then cooperativeClose: the receiver gets only the difference", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    await f.manager.write.withdraw(
      [sender, openBlock, 20n * TOKENS, await proof(openBlock, 20n * TOKENS)],
      as(f.receiver),
    );
    const balance = 35n * TOKENS;
    const { events } = await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, balance, await proof(openBlock, balance), await closing(openBlock, balance)],
        as(f.sender),
      ),
    );
    const settled = events.find((e) => e.eventName === "ChannelSettled");
    assert.deepEqual(settled?.args, {
      sender,
      receiver,
      openBlock,
      balance,
      receiverPayout: 15n * TOKENS,
      senderRefund: deposit - balance,
    });
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - balance,
      receiver: balance,
      manager: -deposit,
    });
  });

  it("cooperativeClose at a balance below what was withdrawn settles at the withdrawn amount", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    await f.manager.write.withdraw(
      [sender, openBlock, 20n * TOKENS, await proof(openBlock, 20n * TOKENS)],
      as(f.receiver),
    );
    const balance = 5n * TOKENS;
    const { events } = await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, balance, await proof(openBlock, balance), await closing(openBlock, balance)],
        as(f.other),
      ),
    );
    // What the receiver already took stays taken: the sender is refunded the rest, never more.
    assert.deepEqual(events.find((e) => e.eventName === "ChannelSettled")?.args, {
      sender,
      receiver,
      openBlock,
      balance: 20n * TOKENS,
      receiverPayout: 0n,
      senderRefund: deposit - 20n * TOKENS,
    });
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - 20n * TOKENS,
      receiver: 20n * TOKENS,
      manager: -deposit,
    });
    assert.ok(await gone(openBlock));
  });

  it("uncooperativeClose starts the challenge period; a second one is refused, as is a top-up", async () => {
    const openBlock = await f.openChannel();
    const { receipt, events } = await f.mined(
      await f.manager.write.uncooperativeClose([receiver, openBlock, 10n * TOKENS], as(f.sender)),
    );
    const settleBlock = receipt.blockNumber + CHALLENGE_PERIOD;
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [["ChannelCloseRequested", { sender, receiver, openBlock, balance: 10n * TOKENS, settleBlock }]],
    );
    const info = await f.channelInfo(sender, receiver, openBlock);
    assert.equal(info.settleBlock, settleBlock);
    assert.equal(info.closingBalance, 10n * TOKENS);
    await expectRevert(f.manager.write.uncooperativeClose([receiver, openBlock, 1n], as(f.sender)), "ChannelClosing", [
      sender,
      receiver,
      openBlock,
      settleBlock,
    ]);
    await f.token.write.approve([f.manager.address, 1n], as(f.sender));
    await expectRevert(f.manager.write.topUp([receiver, openBlock, 1n], as(f.sender)), "ChannelClosing");
    await expectRevert(
      f.manager.write.uncooperativeClose([receiver, openBlock, deposit + 1n], as(f.sender)),
      "ChannelClosing",
    );
  });

  it("uncooperativeClose refuses a balance above the deposit and only the sender can start it", async () => {
    const openBlock = await f.openChannel();
    await expectRevert(
      f.manager.write.uncooperativeClose([receiver, openBlock, deposit + 1n], as(f.sender)),
      "BalanceExceedsDeposit",
      [deposit + 1n, deposit],
    );
    // Called by anyone else, the channel is looked up under the caller as sender, and does not exist.
    await expectRevert(f.manager.write.uncooperativeClose([receiver, openBlock, 1n], as(f.other)), "ChannelNotFound");
  });

  it("settle is refused before and exactly at the end of the challenge period, and pays out after it", async () => {
    const openBlock = await f.openChannel();
    const balance = 10n * TOKENS;
    const settleBlock = await closeUncooperatively(openBlock, balance);
    await expectRevert(f.manager.write.settle([sender, receiver, openBlock], as(f.sender)), "ChallengePeriodNotOver");
    // Mine up to settleBlock - 1, so the settle transaction lands exactly in settleBlock.
    await f.networkHelpers.mineUpTo(settleBlock - 1n);
    await expectRevert(f.manager.write.settle([sender, receiver, openBlock], as(f.sender)), "ChallengePeriodNotOver", [
      settleBlock,
      settleBlock,
    ]);
    // The failed transaction above did not mine a block (gas estimation failed), so mine to settleBlock itself.
    await f.networkHelpers.mineUpTo(settleBlock);
    const before = await balances();
    const { receipt, events } = await f.mined(await f.manager.write.settle([sender, receiver, openBlock], as(f.other)));
    assert.equal(receipt.blockNumber, settleBlock + 1n);
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelSettled"],
    );
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - balance,
      receiver: balance,
      manager: -deposit,
    });
    assert.ok(await gone(openBlock));
  });

  it("settle is refused on an open channel", async () => {
    const openBlock = await f.openChannel();
    await expectRevert(f.manager.write.settle([sender, receiver, openBlock], as(f.sender)), "ChannelNotClosing", [
      sender,
      receiver,
      openBlock,
    ]);
  });

  it("during the challenge period the receiver closes at its higher signed balance", async () => {
    const openBlock = await f.openChannel();
    const latest = await proof(openBlock, 60n * TOKENS);
    await closeUncooperatively(openBlock, 10n * TOKENS);
    const before = await balances();
    await f.mined(
      await f.manager.write.cooperativeClose([sender, receiver, openBlock, 60n * TOKENS, latest, "0x"], as(f.receiver)),
    );
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - 60n * TOKENS,
      receiver: 60n * TOKENS,
      manager: -deposit,
    });
  });

  it("withdraw during the challenge period is allowed and settle then pays only the rest", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    const settleBlock = await closeUncooperatively(openBlock, 40n * TOKENS);
    await f.manager.write.withdraw(
      [sender, openBlock, 25n * TOKENS, await proof(openBlock, 25n * TOKENS)],
      as(f.receiver),
    );
    await f.networkHelpers.mineUpTo(settleBlock);
    await f.manager.write.settle([sender, receiver, openBlock], as(f.sender));
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - 40n * TOKENS,
      receiver: 40n * TOKENS,
      manager: -deposit,
    });
  });

  it("an uncooperative close below the withdrawn amount still settles (never stuck)", async () => {
    const openBlock = await f.openChannel();
    const before = await balances();
    await f.manager.write.withdraw(
      [sender, openBlock, 50n * TOKENS, await proof(openBlock, 50n * TOKENS)],
      as(f.receiver),
    );
    const settleBlock = await closeUncooperatively(openBlock, 10n * TOKENS);
    await f.networkHelpers.mineUpTo(settleBlock);
    const { events } = await f.mined(await f.manager.write.settle([sender, receiver, openBlock], as(f.sender)));
    assert.deepEqual(events.find((e) => e.eventName === "ChannelSettled")?.args, {
      sender,
      receiver,
      openBlock,
      balance: 50n * TOKENS,
      receiverPayout: 0n,
      senderRefund: deposit - 50n * TOKENS,
    });
    assert.deepEqual(delta(before, await balances()), {
      sender: deposit - 50n * TOKENS,
      receiver: 50n * TOKENS,
      manager: -deposit,
    });
  });

  it("after the challenge period only settle ends the channel: late closes and withdrawals are refused", async () => {
    const openBlock = await f.openChannel();
    const settleBlock = await closeUncooperatively(openBlock, 10n * TOKENS);
    await f.networkHelpers.mineUpTo(settleBlock);
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, 60n * TOKENS, await proof(openBlock, 60n * TOKENS), "0x"],
        as(f.receiver),
      ),
      "ChallengePeriodOver",
    );
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, 60n * TOKENS, await proof(openBlock, 60n * TOKENS)], as(f.receiver)),
      "ChallengePeriodOver",
    );
  });

  it("a settled channel is gone: top-up, withdraw, close and settle all find no channel", async () => {
    const openBlock = await f.openChannel();
    await f.manager.write.cooperativeClose(
      [sender, receiver, openBlock, 1n, await proof(openBlock, 1n), await closing(openBlock, 1n)],
      as(f.other),
    );
    await f.token.write.approve([f.manager.address, 1n], as(f.sender));
    const notFound = [sender, receiver, openBlock];
    await expectRevert(f.manager.write.topUp([receiver, openBlock, 1n], as(f.sender)), "ChannelNotFound", notFound);
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, 2n, await proof(openBlock, 2n)], as(f.receiver)),
      "ChannelNotFound",
      notFound,
    );
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, 1n, await proof(openBlock, 1n), await closing(openBlock, 1n)],
        as(f.other),
      ),
      "ChannelNotFound",
      notFound,
    );
    await expectRevert(f.manager.write.uncooperativeClose([receiver, openBlock, 1n], as(f.sender)), "ChannelNotFound");
    await expectRevert(f.manager.write.settle([sender, receiver, openBlock], as(f.sender)), "ChannelNotFound");
  });

  it("reopening in a later block after settle gives a new channel that old proofs cannot touch", async () => {
    const first = await f.openChannel();
    const oldProof = await proof(first, 90n * TOKENS);
    await f.manager.write.cooperativeClose(
      [sender, receiver, first, 5n * TOKENS, await proof(first, 5n * TOKENS), await closing(first, 5n * TOKENS)],
      as(f.other),
    );
    const second = await f.openChannel();
    assert.ok(second > first);
    assert.equal((await f.channelInfo(sender, receiver, second)).deposit, deposit);
    await expectRevert(
      f.manager.write.withdraw([sender, second, 90n * TOKENS, oldProof], as(f.receiver)),
      "InvalidBalanceProofSigner",
    );
  });

  it("a channel cannot be closed cooperatively in the block it was opened (its key is never reused)", async () => {
    await f.token.write.approve([f.manager.address, deposit], as(f.sender));
    const next = (await f.publicClient.getBlockNumber()) + 1n;
    const closingArgs = [sender, receiver, next, 1n, await proof(next, 1n), await closing(next, 1n)] as const;
    await f.connection.provider.request({ method: "evm_setAutomine", params: [false] });
    let hashes: `0x${string}`[];
    try {
      hashes = [
        await f.manager.write.createChannel([receiver, deposit, "0x0000000000000000000000000000000000000000"], {
          ...as(f.sender),
          gas: 300_000n,
        }),
        await f.manager.write.cooperativeClose(closingArgs, { ...as(f.other), gas: 300_000n }),
      ];
      await f.networkHelpers.mine(1);
    } finally {
      await f.connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    const [create, close] = await Promise.all(hashes.map((hash) => f.publicClient.waitForTransactionReceipt({ hash })));
    assert.equal(create?.status, "success");
    assert.equal(create?.blockNumber, next);
    assert.equal(close?.status, "reverted");
    assert.equal(close?.blockNumber, next);
    assert.equal((await f.channelInfo(sender, receiver, next)).deposit, deposit);
    // In any later block the same signatures close it normally.
    await f.mined(await f.manager.write.cooperativeClose(closingArgs, as(f.other)));
    assert.ok(await gone(next));
  });
});
