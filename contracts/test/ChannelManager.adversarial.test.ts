// µRaiden's adversarial catalogue, plus what its audits missed: every way to make the manager pay on a signature
// that was not given for exactly this channel, contract, chain and balance.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, encodePacked, getAddress, maxUint256, slice } from "viem";
import {
  deployFixture,
  expectRevert,
  malleate,
  newSessionKey,
  signBalanceProof,
  signClosingAgreement,
  TOKENS,
  zeroAddress,
} from "./fixture.ts";

describe("adversarial balance proofs and closing signatures", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const receiver2 = getAddress(f.receiver2.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const msg = (openBlock: bigint, balance: bigint, to = receiver) => ({ sender, receiver: to, openBlock, balance });
  const proof = (openBlock: bigint, balance: bigint) => signBalanceProof(f.sender, f.domain, msg(openBlock, balance));
  const closing = (openBlock: bigint, balance: bigint) =>
    signClosingAgreement(f.receiver, f.domain, msg(openBlock, balance));
  const withdraw = (openBlock: bigint, balance: bigint, signature: `0x${string}`, by = f.receiver) =>
    f.manager.write.withdraw([sender, openBlock, balance, signature], as(by));

  it("wrong signer: a proof signed by someone else is refused, naming who signed", async () => {
    const openBlock = await f.openChannel();
    const forged = await signBalanceProof(f.other, f.domain, msg(openBlock, 5n));
    await expectRevert(withdraw(openBlock, 5n, forged), "InvalidBalanceProofSigner", [
      getAddress(f.other.account.address),
      sender,
      zeroAddress,
    ]);
  });

  it("the receiver cannot sign balance proofs for the sender", async () => {
    const openBlock = await f.openChannel();
    const byReceiver = await signBalanceProof(f.receiver, f.domain, msg(openBlock, 5n));
    await expectRevert(withdraw(openBlock, 5n, byReceiver), "InvalidBalanceProofSigner");
  });

  it("sender signs a wrong balance: a proof for 5 does not pay 6", async () => {
    const openBlock = await f.openChannel();
    await expectRevert(withdraw(openBlock, 6n, await proof(openBlock, 5n)), "InvalidBalanceProofSigner");
  });

  it("receiver signs a wrong balance: its closing signature for 5 does not close at 6", async () => {
    const openBlock = await f.openChannel();
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, 6n, await proof(openBlock, 6n), await closing(openBlock, 5n)],
        as(f.sender),
      ),
      "InvalidClosingSigner",
    );
  });

  it("a closing signature by anyone but the receiver is refused", async () => {
    const openBlock = await f.openChannel();
    const bySender = await signClosingAgreement(f.sender, f.domain, msg(openBlock, 6n));
    await expectRevert(
      f.manager.write.cooperativeClose([sender, receiver, openBlock, 6n, "0x", bySender], as(f.sender)),
      "InvalidClosingSigner",
      [sender, receiver],
    );
  });

  it("wrong receiver: a proof made out to one receiver pays no other", async () => {
    const toFirst = await f.openChannel(f.sender, receiver);
    const toSecond = await f.openChannel(f.sender, receiver2);
    const forFirst = await proof(toFirst, 5n);
    // The second receiver presents it on its own channel, and under the first channel's open block.
    await expectRevert(withdraw(toSecond, 5n, forFirst, f.receiver2), "InvalidBalanceProofSigner");
    await expectRevert(withdraw(toFirst, 5n, forFirst, f.receiver2), "ChannelNotFound");
  });

  it("a proof for another channel between the same parties is refused", async () => {
    const first = await f.openChannel();
    const second = await f.openChannel();
    await expectRevert(withdraw(second, 5n, await proof(first, 5n)), "InvalidBalanceProofSigner");
  });

  it("a proof replayed on another manager contract is refused", async () => {
    const otherManager = await f.viem.deployContract("ChannelManager", [f.token.address, 500n]);
    await f.token.write.approve([otherManager.address, 10n * TOKENS], as(f.sender));
    const { receipt } = await f.mined(
      await otherManager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    // Signed for the first manager: valid there, worthless on the second.
    const replayed = await proof(receipt.blockNumber, 5n);
    assert.equal(
      await f.manager.read.extractBalanceProofSignature([sender, receiver, receipt.blockNumber, 5n, replayed]),
      sender,
    );
    await expectRevert(
      otherManager.write.withdraw([sender, receipt.blockNumber, 5n, replayed], as(f.receiver)),
      "InvalidBalanceProofSigner",
    );
  });

  it("a proof signed for another chain id is refused", async () => {
    const openBlock = await f.openChannel();
    const otherChain = await signBalanceProof(
      f.sender,
      { chainId: f.chainId + 1, contract: f.domain.contract },
      msg(openBlock, 5n),
    );
    await expectRevert(withdraw(openBlock, 5n, otherChain), "InvalidBalanceProofSigner");
  });

  it("a malleated (high-s) signature is refused, even though ecrecover would accept it", async () => {
    const openBlock = await f.openChannel();
    const good = await proof(openBlock, 5n);
    const bad = malleate(good);
    await expectRevert(withdraw(openBlock, 5n, bad), "ECDSAInvalidSignatureS");
    await expectRevert(
      f.manager.read.extractBalanceProofSignature([sender, receiver, openBlock, 5n, bad]),
      "ECDSAInvalidSignatureS",
    );
    const closingBad = malleate(await closing(openBlock, 5n));
    await expectRevert(
      f.manager.write.cooperativeClose([sender, receiver, openBlock, 5n, good, closingBad], as(f.other)),
      "ECDSAInvalidSignatureS",
    );
  });

  it("a signature of the wrong length (64-byte compact, truncated, padded) is refused", async () => {
    const openBlock = await f.openChannel();
    const good = await proof(openBlock, 5n);
    await expectRevert(withdraw(openBlock, 5n, slice(good, 0, 64)), "ECDSAInvalidSignatureLength", [64n]);
    await expectRevert(withdraw(openBlock, 5n, `${good}00`), "ECDSAInvalidSignatureLength", [66n]);
  });

  it("a balance above the deposit is refused even when properly signed", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n);
    await expectRevert(withdraw(openBlock, 11n, await proof(openBlock, 11n)), "BalanceExceedsDeposit", [11n, 10n]);
    await expectRevert(
      f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, 11n, await proof(openBlock, 11n), await closing(openBlock, 11n)],
        as(f.other),
      ),
      "BalanceExceedsDeposit",
    );
  });

  it("a delegated signer's proof pays on its channel and is refused on another channel of the sender", async () => {
    const session = newSessionKey();
    const withSession = await f.openChannel(f.sender, receiver, 10n * TOKENS, session.address);
    const without = await f.openChannel(f.sender, receiver, 10n * TOKENS);
    const sessionProof = await signBalanceProof(session, f.domain, msg(withSession, 2n * TOKENS));
    await f.mined(await withdraw(withSession, 2n * TOKENS, sessionProof));
    await expectRevert(
      withdraw(without, 2n * TOKENS, await signBalanceProof(session, f.domain, msg(without, 2n * TOKENS))),
      "InvalidBalanceProofSigner",
      [session.address, sender, zeroAddress],
    );
    // The sender's own wallet still signs for the session-key channel.
    await f.mined(await withdraw(withSession, 3n * TOKENS, await proof(withSession, 3n * TOKENS)));
  });

  it("a session key registered by another sender cannot sign this sender's channel", async () => {
    // sender2 registers the first sender's session key as its own delegate; it must not gain power over
    // the first sender's channels, nor the key's proofs for one sender count for the other.
    const session = newSessionKey();
    const mine = await f.openChannel(f.sender, receiver, 10n * TOKENS, session.address);
    const theirs = await f.openChannel(f.sender2, receiver, 10n * TOKENS, session.address);
    const proofForMine = await signBalanceProof(session, f.domain, msg(mine, 1n));
    await expectRevert(
      f.manager.write.withdraw([getAddress(f.sender2.account.address), theirs, 1n, proofForMine], as(f.receiver)),
      "InvalidBalanceProofSigner",
    );
  });

  it("the manager holds no owner key: nobody but the parties can move a channel's funds", async () => {
    const openBlock = await f.openChannel();
    const abiNames = f.manager.abi.filter((i) => i.type === "function").map((i) => i.name);
    for (const privileged of ["owner", "transferOwnership", "pause", "rescue", "setChallengePeriod"]) {
      assert.ok(!abiNames.includes(privileged as never), `unexpected privileged function ${privileged}`);
    }
    // The deployer is just another address here.
    await expectRevert(
      f.manager.write.withdraw([sender, openBlock, 5n, await proof(openBlock, 5n)], as(f.deployer)),
      "ChannelNotFound",
    );
  });
});

describe("reentrancy", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const hostile = await f.viem.deployContract("ReentrantToken");
  const manager = await f.viem.deployContract("ChannelManager", [hostile.address, 500n]);
  const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
  await hostile.write.mint([sender, 1_000n * TOKENS]);
  await hostile.write.approve([manager.address, maxUint256], as(f.sender));

  async function reentryResult() {
    const [succeeded, error] = await Promise.all([hostile.read.reentrySucceeded(), hostile.read.reentryError()]);
    return { succeeded, selector: slice(error, 0, 4) };
  }
  // ReentrancyGuardReentrantCall()
  const reentrancyRefused = "0x3ee5aeb5";

  it("a token calling onTransferReceived during createChannel cannot credit a second, unpaid deposit", async () => {
    await hostile.write.armTransferReceived([
      manager.address,
      sender,
      50n * TOKENS,
      encodePacked(["address"], [getAddress(f.other.account.address)]),
    ]);
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    const [, phantom] = await manager.read.getChannelInfo([
      sender,
      getAddress(f.other.account.address),
      receipt.blockNumber,
    ]);
    assert.equal(phantom, 0n);
    assert.equal(await hostile.read.balanceOf([manager.address]), 10n * TOKENS);
  });

  it("a token re-entering withdraw while paying out cannot pay the receiver twice", async () => {
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    const openBlock = receipt.blockNumber;
    const signature = await signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance: 4n * TOKENS });
    const again = encodeFunctionData({
      abi: manager.abi,
      functionName: "withdraw",
      args: [sender, openBlock, 4n * TOKENS, signature],
    });
    await hostile.write.arm([manager.address, again]);
    await f.mined(await manager.write.withdraw([sender, openBlock, 4n * TOKENS, signature], as(f.receiver)));
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.equal(await hostile.read.balanceOf([receiver]), 4n * TOKENS);
  });

  it("a token re-entering settle during a cooperative close cannot pay the channel out twice", async () => {
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    const openBlock = receipt.blockNumber;
    const message = { sender, receiver, openBlock, balance: 1n * TOKENS };
    const args = [
      sender,
      receiver,
      openBlock,
      1n * TOKENS,
      await signBalanceProof(f.sender, domain, message),
      await signClosingAgreement(f.receiver, domain, message),
    ] as const;
    const before = await hostile.read.balanceOf([manager.address]);
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "cooperativeClose", args }),
    ]);
    await f.mined(await manager.write.cooperativeClose(args, as(f.other)));
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.equal(await hostile.read.balanceOf([manager.address]), before - 10n * TOKENS);
  });
  /** Opens a channel on the hostile token's manager and returns its open block. */
  async function open(deposit = 10n * TOKENS) {
    const { receipt } = await f.mined(
      await manager.write.createChannel([receiver, deposit, zeroAddress], as(f.sender)),
    );
    return receipt.blockNumber;
  }
  const channelDeposit = async (openBlock: bigint) =>
    (await manager.read.getChannelInfo([sender, receiver, openBlock]))[1];

  it("a token re-entering topUp while pulling a top-up cannot credit it twice", async () => {
    const openBlock = await open();
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "topUp", args: [receiver, openBlock, 5n * TOKENS] }),
    ]);
    const before = await hostile.read.balanceOf([manager.address]);
    await f.mined(await manager.write.topUp([receiver, openBlock, 5n * TOKENS], as(f.sender)));
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.equal(await channelDeposit(openBlock), 15n * TOKENS);
    assert.equal(await hostile.read.balanceOf([manager.address]), before + 5n * TOKENS);
  });

  it("a token re-entering uncooperativeClose while paying a withdrawal is refused", async () => {
    const openBlock = await open();
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "uncooperativeClose", args: [receiver, openBlock, 0n] }),
    ]);
    const balance = 2n * TOKENS;
    const signature = await signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance });
    await f.mined(await manager.write.withdraw([sender, openBlock, balance, signature], as(f.receiver)));
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    const [, , withdrawn, settleBlock] = await manager.read.getChannelInfo([sender, receiver, openBlock]);
    assert.equal(withdrawn, balance);
    assert.equal(settleBlock, 0n);
  });

  it("a token re-entering settle while settling cannot pay the channel out twice", async () => {
    const openBlock = await open();
    const { receipt } = await f.mined(
      await manager.write.uncooperativeClose([receiver, openBlock, 3n * TOKENS], as(f.sender)),
    );
    await f.networkHelpers.mineUpTo(receipt.blockNumber + 500n);
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "settle", args: [sender, receiver, openBlock] }),
    ]);
    const before = await hostile.read.balanceOf([manager.address]);
    await f.mined(await manager.write.settle([sender, receiver, openBlock], as(f.other)));
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.equal(await hostile.read.balanceOf([manager.address]), before - 10n * TOKENS);
  });

  it("a token re-entering from its permit cannot open or top up a second time", async () => {
    await hostile.write.approve([manager.address, 0n], as(f.sender));
    const noSignature = [0n, 0, `0x${"00".repeat(32)}`, `0x${"00".repeat(32)}`] as const;
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "createChannel", args: [receiver, 1n, zeroAddress] }),
    ]);
    const { receipt, events } = await f.mined(
      await manager.write.createChannelWithPermit([receiver, 10n * TOKENS, zeroAddress, ...noSignature], as(f.sender)),
    );
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelCreated"],
    );
    const openBlock = receipt.blockNumber;
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "topUp", args: [receiver, openBlock, 1n] }),
    ]);
    await f.mined(
      await manager.write.topUpWithPermit([receiver, openBlock, 5n * TOKENS, ...noSignature], as(f.sender)),
    );
    assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    assert.equal(await channelDeposit(openBlock), 15n * TOKENS);
    await hostile.write.approve([manager.address, maxUint256], as(f.sender));
  });

  it("a token re-entering claim or batchWithdraw while paying a withdrawal is refused", async () => {
    for (const attack of [
      encodeFunctionData({ abi: manager.abi, functionName: "claim" }),
      encodeFunctionData({ abi: manager.abi, functionName: "batchWithdraw", args: [[]] }),
    ]) {
      const openBlock = await open();
      await hostile.write.arm([manager.address, attack]);
      const balance = 1n * TOKENS;
      const signature = await signBalanceProof(f.sender, domain, { sender, receiver, openBlock, balance });
      await f.mined(await manager.write.withdraw([sender, openBlock, balance, signature], as(f.receiver)));
      assert.deepEqual(await reentryResult(), { succeeded: false, selector: reentrancyRefused });
    }
  });
});
