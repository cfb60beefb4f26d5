// Opening and topping up channels: the three ways in (approve, EIP-2612 permit, ERC-1363 transferAndCall), and the
// inputs the manager must refuse.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, encodePacked, getAddress, maxUint256 } from "viem";
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
