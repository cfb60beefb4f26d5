// Opening and topping up channels: the three ways in (approve, EIP-2612 permit, ERC-1363 transferAndCall), and the
// inputs the manager must refuse.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, encodePacked, getAddress, keccak256, maxUint256 } from "viem";
import { deployFixture, expectRevert, newSessionKey, TOKENS, zeroAddress } from "./fixture.ts";

const MAX_DEPOSIT = 2n ** 96n - 1n;

describe("opening a channel", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });

  it("approve + createChannel escrows the deposit and emits sender, receiver, openBlock", async () => {
    const deposit = 50n * TOKENS;
    const before = await f.balanceOf(sender);
    await f.token.write.approve([f.manager.address, deposit], as(f.sender));
    const { receipt, events } = await f.mined(
      await f.manager.write.createChannel([receiver, deposit, zeroAddress], as(f.sender)),
    );
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [["ChannelCreated", { sender, receiver, openBlock: receipt.blockNumber, deposit, signer: zeroAddress }]],
    );
    const info = await f.channelInfo(sender, receiver, receipt.blockNumber);
    assert.equal(info.deposit, deposit);
    assert.equal(info.withdrawn, 0n);
    assert.equal(info.settleBlock, 0n);
    assert.equal(await f.balanceOf(sender), before - deposit);
    assert.equal(await f.balanceOf(f.manager.address), deposit);
  });

  it("createChannelWithPermit opens in one transaction without a prior approval", async () => {
    const deposit = 20n * TOKENS;
    const p = await f.signPermit(f.sender, deposit);
    const session = newSessionKey().address;
    const { receipt, events } = await f.mined(
      await f.manager.write.createChannelWithPermit(
        [receiver, deposit, session, p.deadline, p.v, p.r, p.s],
        as(f.sender),
      ),
    );
    assert.equal(events[0]?.eventName, "ChannelCreated");
    const info = await f.channelInfo(sender, receiver, receipt.blockNumber);
    assert.equal(info.deposit, deposit);
    assert.equal(info.signer, session);
    assert.equal(await f.token.read.allowance([sender, f.manager.address]), 0n);
  });

  it("a permit front-run from the mempool does not block the open", async () => {
    const deposit = 5n * TOKENS;
    const p = await f.signPermit(f.sender, deposit);
    // An observer copies the permit out of the pending transaction and submits it first.
    await f.token.write.permit([sender, f.manager.address, deposit, p.deadline, p.v, p.r, p.s], as(f.other));
    const { receipt } = await f.mined(
      await f.manager.write.createChannelWithPermit(
        [receiver, deposit, zeroAddress, p.deadline, p.v, p.r, p.s],
        as(f.sender),
      ),
    );
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, deposit);
  });

  it("a bad permit without an allowance fails with the token's allowance error", async () => {
    const p = await f.signPermit(f.sender, 1n * TOKENS);
    await expectRevert(
      f.manager.write.createChannelWithPermit(
        [receiver, 2n * TOKENS, zeroAddress, p.deadline, p.v, p.r, p.s],
        as(f.sender),
      ),
      "ERC20InsufficientAllowance",
      [getAddress(f.manager.address), 0n, 2n * TOKENS],
    );
  });

  it("ERC-1363 transferAndCall opens a channel (with and without a delegated signer)", async () => {
    const session = newSessionKey().address;
    for (const [data, signer] of [
      [encodePacked(["address"], [receiver]), zeroAddress],
      [encodePacked(["address", "address"], [receiver, session]), session],
    ] as const) {
      const { receipt, events } = await f.mined(
        await f.token.write.transferAndCall([f.manager.address, 3n * TOKENS, data], as(f.sender)),
      );
      const created = events.find((e) => e.eventName === "ChannelCreated");
      assert.deepEqual(created?.args, {
        sender,
        receiver,
        openBlock: receipt.blockNumber,
        deposit: 3n * TOKENS,
        signer,
      });
    }
  });

  it("a 40-byte ERC-1363 payload naming the sender as signer stores none; naming the receiver is refused", async () => {
    const { receipt } = await f.mined(
      await f.token.write.transferAndCall(
        [f.manager.address, 1n * TOKENS, encodePacked(["address", "address"], [receiver, sender])],
        as(f.sender),
      ),
    );
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).signer, zeroAddress);
    await expectRevert(
      f.token.write.transferAndCall(
        [f.manager.address, 1n * TOKENS, encodePacked(["address", "address"], [receiver, receiver])],
        as(f.sender),
      ),
      "InvalidSigner",
      [receiver],
    );
  });

  it("ERC-1363 transferFromAndCall by an approved operator opens the channel for the tokens' owner", async () => {
    const operator = f.other;
    await f.token.write.approve([operator.account.address, 2n * TOKENS], as(f.sender));
    const { receipt, events } = await f.mined(
      await f.token.write.transferFromAndCall(
        [sender, f.manager.address, 2n * TOKENS, encodePacked(["address"], [receiver])],
        as(operator),
      ),
    );
    // The sender is whose tokens moved, never the operator that moved them.
    assert.deepEqual(events.find((e) => e.eventName === "ChannelCreated")?.args, {
      sender,
      receiver,
      openBlock: receipt.blockNumber,
      deposit: 2n * TOKENS,
      signer: zeroAddress,
    });
    assert.equal(
      (await f.channelInfo(getAddress(operator.account.address), receiver, receipt.blockNumber)).deposit,
      0n,
    );
  });

  it("the permit path on a token without permit opens after a plain approval, and fails clearly without", async () => {
    const token = await f.viem.deployContract("BlocklistToken");
    const manager = await f.viem.deployContract("ChannelManager", [token.address, 500n]);
    await token.write.mint([sender, 10n * TOKENS]);
    const noPermit = [0n, 0, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`] as const;
    await expectRevert(
      manager.write.createChannelWithPermit([receiver, 1n * TOKENS, zeroAddress, ...noPermit], as(f.sender)),
      "ERC20InsufficientAllowance",
      [getAddress(manager.address), 0n, 1n * TOKENS],
    );
    await token.write.approve([manager.address, 3n * TOKENS], as(f.sender));
    const { receipt } = await f.mined(
      await manager.write.createChannelWithPermit([receiver, 2n * TOKENS, zeroAddress, ...noPermit], as(f.sender)),
    );
    await f.mined(
      await manager.write.topUpWithPermit([receiver, receipt.blockNumber, 1n * TOKENS, ...noPermit], as(f.sender)),
    );
    const [, deposit] = await manager.read.getChannelInfo([sender, receiver, receipt.blockNumber]);
    assert.equal(deposit, 3n * TOKENS);
  });

  it("a delegated signer equal to the sender is stored as none", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 1n * TOKENS, sender);
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).signer, zeroAddress);
  });

  it("refuses a zero deposit on every path", async () => {
    await expectRevert(f.manager.write.createChannel([receiver, 0n, zeroAddress], as(f.sender)), "ZeroDeposit");
    const p = await f.signPermit(f.sender, 0n);
    await expectRevert(
      f.manager.write.createChannelWithPermit([receiver, 0n, zeroAddress, p.deadline, p.v, p.r, p.s], as(f.sender)),
      "ZeroDeposit",
    );
    await expectRevert(
      f.token.write.transferAndCall([f.manager.address, 0n, encodePacked(["address"], [receiver])], as(f.sender)),
      "ZeroDeposit",
    );
  });

  it("refuses the zero address or the sender itself as receiver, and the receiver as delegated signer", async () => {
    await f.token.write.approve([f.manager.address, maxUint256], as(f.sender));
    await expectRevert(f.manager.write.createChannel([zeroAddress, 1n, zeroAddress], as(f.sender)), "InvalidReceiver", [
      zeroAddress,
    ]);
    await expectRevert(f.manager.write.createChannel([sender, 1n, zeroAddress], as(f.sender)), "InvalidReceiver", [
      sender,
    ]);
    await expectRevert(f.manager.write.createChannel([receiver, 1n, receiver], as(f.sender)), "InvalidSigner", [
      receiver,
    ]);
    await f.token.write.approve([f.manager.address, 0n], as(f.sender));
  });

  it("accepts a deposit at the top of the integer range and refuses one above it", async () => {
    await f.token.write.mint([sender, MAX_DEPOSIT + 1n]);
    await f.token.write.approve([f.manager.address, maxUint256], as(f.sender));
    await expectRevert(
      f.manager.write.createChannel([receiver, MAX_DEPOSIT + 1n, zeroAddress], as(f.sender)),
      "DepositOverflow",
      [MAX_DEPOSIT + 1n, MAX_DEPOSIT],
    );
    await expectRevert(
      f.manager.write.createChannel([receiver, maxUint256, zeroAddress], as(f.sender)),
      "DepositOverflow",
      [maxUint256, MAX_DEPOSIT],
    );
    const { receipt } = await f.mined(
      await f.manager.write.createChannel([receiver, MAX_DEPOSIT, zeroAddress], as(f.sender)),
    );
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, MAX_DEPOSIT);
    await expectRevert(f.manager.write.topUp([receiver, receipt.blockNumber, 1n], as(f.sender)), "DepositOverflow", [
      MAX_DEPOSIT + 1n,
      MAX_DEPOSIT,
    ]);
    await f.token.write.approve([f.manager.address, 0n], as(f.sender));
  });

  it("a top-up so large that the new deposit overflows 256 bits reverts with DepositOverflow, not a panic", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n);
    await f.token.write.approve([f.manager.address, maxUint256], as(f.sender));
    // The total wraps past 2^256 - 1: the error saturates there.
    for (const amount of [maxUint256, maxUint256 - 9n]) {
      await expectRevert(f.manager.write.topUp([receiver, openBlock, amount], as(f.sender)), "DepositOverflow", [
        maxUint256,
        MAX_DEPOSIT,
      ]);
    }
    // Totals that fit 256 bits are reported exactly.
    for (const amount of [maxUint256 - 10n, 2n ** 255n]) {
      await expectRevert(f.manager.write.topUp([receiver, openBlock, amount], as(f.sender)), "DepositOverflow", [
        amount + 10n,
        MAX_DEPOSIT,
      ]);
    }
    await f.token.write.approve([f.manager.address, 0n], as(f.sender));
  });

  it("refuses a second channel with the same (sender, receiver, openBlock)", async () => {
    await f.token.write.approve([f.manager.address, 2n * TOKENS], as(f.sender));
    await f.connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      const first = await f.manager.write.createChannel([receiver, 1n * TOKENS, zeroAddress], {
        ...as(f.sender),
        gas: 300_000n,
      });
      const second = await f.manager.write.createChannel([receiver, 1n * TOKENS, zeroAddress], {
        ...as(f.sender),
        gas: 300_000n,
      });
      await f.networkHelpers.mine(1);
      const [a, b] = await Promise.all(
        [first, second].map((hash) => f.publicClient.waitForTransactionReceipt({ hash })),
      );
      assert.equal(a?.status, "success");
      assert.equal(b?.status, "reverted");
      assert.equal(a?.blockNumber, b?.blockNumber);
      assert.equal((await f.channelInfo(sender, receiver, a?.blockNumber ?? 0n)).deposit, 1n * TOKENS);
    } finally {
      await f.connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
  });
});

describe("topping up a channel", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });

  it("topUp adds to the deposit and emits the new total", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    await f.token.write.approve([f.manager.address, 4n * TOKENS], as(f.sender));
    const { events } = await f.mined(await f.manager.write.topUp([receiver, openBlock, 4n * TOKENS], as(f.sender)));
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [["ChannelToppedUp", { sender, receiver, openBlock, added: 4n * TOKENS, deposit: 14n * TOKENS }]],
    );
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 14n * TOKENS);
  });

  it("topUpWithPermit tops up in one transaction", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    const p = await f.signPermit(f.sender, 6n * TOKENS);
    await f.mined(
      await f.manager.write.topUpWithPermit(
        [receiver, openBlock, 6n * TOKENS, p.deadline, p.v, p.r, p.s],
        as(f.sender),
      ),
    );
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 16n * TOKENS);
  });

  it("ERC-1363 transferAndCall tops up with a 28-byte (receiver, openBlock) payload", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    const data = encodePacked(["address", "uint64"], [receiver, openBlock]);
    await f.mined(await f.token.write.transferAndCall([f.manager.address, 1n * TOKENS, data], as(f.sender)));
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 11n * TOKENS);
  });

  it("refuses a top-up of zero, and of a channel that does not exist", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    await expectRevert(f.manager.write.topUp([receiver, openBlock, 0n], as(f.sender)), "ZeroDeposit");
    await f.token.write.approve([f.manager.address, 1n], as(f.sender));
    await expectRevert(f.manager.write.topUp([receiver, openBlock + 1n, 1n], as(f.sender)), "ChannelNotFound", [
      sender,
      receiver,
      openBlock + 1n,
    ]);
    // Another sender cannot top up this sender's channel: the channel is looked up under the caller.
    await expectRevert(f.manager.write.topUp([receiver, openBlock, 1n], as(f.other)), "ChannelNotFound");
  });

  it("refuses an ERC-1363 top-up of a missing channel or of one in its challenge period", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    const topUpData = (block: bigint) => encodePacked(["address", "uint64"], [receiver, block]);
    await expectRevert(
      f.token.write.transferAndCall([f.manager.address, 1n, topUpData(openBlock + 1n)], as(f.sender)),
      "ChannelNotFound",
      [sender, receiver, openBlock + 1n],
    );
    const { receipt } = await f.mined(
      await f.manager.write.uncooperativeClose([receiver, openBlock, 0n], as(f.sender)),
    );
    await expectRevert(
      f.token.write.transferAndCall([f.manager.address, 1n, topUpData(openBlock)], as(f.sender)),
      "ChannelClosing",
      [sender, receiver, openBlock, receipt.blockNumber + 500n],
    );
    assert.equal((await f.channelInfo(sender, receiver, openBlock)).deposit, 10n * TOKENS);
  });

  it("refuses an ERC-1363 payload of any other length", async () => {
    await expectRevert(
      f.token.write.transferAndCall(
        [f.manager.address, 1n, encodePacked(["address", "uint8"], [receiver, 1])],
        as(f.sender),
      ),
      "InvalidTransferData",
      [21n],
    );
  });

  it("refuses onTransferReceived from anything but the channel token", async () => {
    const fake = encodeFunctionData({
      abi: f.manager.abi,
      functionName: "onTransferReceived",
      args: [sender, sender, 100n * TOKENS, encodePacked(["address"], [receiver])],
    });
    await expectRevert(
      f.other.sendTransaction({ to: f.manager.address, data: fake }).then(() => undefined),
      "UnexpectedToken",
    );
    await expectRevert(
      f.manager.write.onTransferReceived(
        [sender, sender, 100n * TOKENS, encodePacked(["address"], [receiver])],
        as(f.other),
      ),
      "UnexpectedToken",
      [getAddress(f.other.account.address)],
    );
  });
});

describe("deployment bounds and the channel key", async () => {
  const f = await deployFixture();
  const MIN = 500n;
  const MAX = 1_000_000n;
  const maxUint64 = 2n ** 64n - 1n;
  const deploy = (period: bigint) => f.viem.deployContract("ChannelManager", [f.token.address, period]);

  it("publishes its challenge period bounds", async () => {
    assert.equal(await f.manager.read.MIN_CHALLENGE_PERIOD(), MIN);
    assert.equal(await f.manager.read.MAX_CHALLENGE_PERIOD(), MAX);
  });

  it("refuses a challenge period below the minimum or above the maximum, up to 2^64 - 1, without a panic", async () => {
    await expectRevert(deploy(MIN - 1n), "ChallengePeriodTooShort", [MIN - 1n, MIN]);
    for (const period of [MAX + 1n, 2n ** 53n - 1n, maxUint64]) {
      await expectRevert(deploy(period), "ChallengePeriodTooLong", [period, MAX]);
    }
  });

  it("at the maximum challenge period an uncooperative close still works and settles after it", async () => {
    const manager = await deploy(MAX);
    const sender = getAddress(f.sender.account.address);
    const receiver = getAddress(f.receiver.account.address);
    await f.token.write.approve([manager.address, 5n], { account: f.sender.account });
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, 5n, zeroAddress], { account: f.sender.account }),
    );
    const close = await f.mined(
      await manager.write.uncooperativeClose([receiver, receipt.blockNumber, 2n], { account: f.sender.account }),
    );
    const settleBlock = close.receipt.blockNumber + MAX;
    assert.equal((await manager.read.getChannelInfo([sender, receiver, receipt.blockNumber]))[3], settleBlock);
    await f.networkHelpers.mineUpTo(settleBlock);
    await f.mined(await manager.write.settle([sender, receiver, receipt.blockNumber], { account: f.other.account }));
  });

  it("getKey is keccak256(abi.encodePacked(sender, receiver, uint64 openBlock))", async () => {
    const sender = getAddress(f.sender.account.address);
    const receiver = getAddress(f.receiver.account.address);
    for (const openBlock of [0n, 1n, 123_456_789n, maxUint64]) {
      assert.equal(
        await f.manager.read.getKey([sender, receiver, openBlock]),
        keccak256(encodePacked(["address", "address", "uint64"], [sender, receiver, openBlock])),
      );
    }
  });
});
