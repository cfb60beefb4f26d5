// A key the sender delegated off-chain (a `SignerDelegation`, one signature, no transaction) signs balance proofs
// that withdraw and close like the sender's own; a delegation is worth nothing on any other channel, manager or
// chain, nor when anyone but the sender signed it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { packDelegatedSignature, signerDelegationTypedData } from "@micro-raiden/web-client/protocol";
import { type Address, getAddress, type Hex, parseSignature, signatureToCompactSignature, slice } from "viem";
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

describe("balance proofs by a key delegated off-chain", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const msg = (openBlock: bigint, balance: bigint) => ({ sender, receiver, openBlock, balance });
  const withdraw = (openBlock: bigint, balance: bigint, signature: Hex, manager = f.manager) =>
    manager.write.withdraw([sender, openBlock, balance, signature], as(f.receiver));

  /** The 150-byte signature a second origin's key gives: its proof, itself, and the sender's delegation. */
  async function delegatedProof(
    openBlock: bigint,
    balance: bigint,
    {
      delegator = f.sender,
      domain = f.domain,
      delegatedOpenBlock = openBlock,
    }: { delegator?: typeof f.sender; domain?: typeof f.domain; delegatedOpenBlock?: bigint } = {},
  ) {
    const key = newSessionKey();
    const delegation = await delegator.signTypedData(
      signerDelegationTypedData(domain, { sender, receiver, openBlock: delegatedOpenBlock, signer: key.address }),
    );
    const proof = await signBalanceProof(key, f.domain, msg(openBlock, balance));
    return { key, delegation, proof, packed: packDelegatedSignature({ proof, signer: key.address, delegation }) };
  }

  it("a delegated proof withdraws, and the view names the sender as its authority", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS, newSessionKey().address);
    const { packed } = await delegatedProof(openBlock, 2n * TOKENS);
    assert.equal(packed.length, 2 + 150 * 2);
    assert.equal(
      await f.manager.read.extractBalanceProofSignature([sender, receiver, openBlock, 2n * TOKENS, packed]),
      sender,
    );
    const before = await f.balanceOf(receiver);
    const { events } = await f.mined(await withdraw(openBlock, 2n * TOKENS, packed));
    assert.equal(events.find((e) => e.eventName === "ChannelWithdrawn")?.args.amount, 2n * TOKENS);
    assert.equal((await f.balanceOf(receiver)) - before, 2n * TOKENS);
    // The sender's own 65-byte proof keeps working beside it.
    await f.mined(
      await withdraw(openBlock, 3n * TOKENS, await signBalanceProof(f.sender, f.domain, msg(openBlock, 3n * TOKENS))),
    );
  });

  it("a delegated proof closes cooperatively and settles the channel", async () => {
    const openBlock = await f.openChannel();
    const { packed } = await delegatedProof(openBlock, 4n * TOKENS);
    const closing = await signClosingAgreement(f.receiver, f.domain, msg(openBlock, 4n * TOKENS));
    const { events } = await f.mined(
      await f.manager.write.cooperativeClose([sender, receiver, openBlock, 4n * TOKENS, packed, closing], as(f.other)),
    );
    assert.equal(events.find((e) => e.eventName === "ChannelSettled")?.args.balance, 4n * TOKENS);
  });

  it("a delegated proof challenges an uncooperative close at a lower balance", async () => {
    const openBlock = await f.openChannel();
    await f.mined(await f.manager.write.uncooperativeClose([receiver, openBlock, 1n], as(f.sender)));
    const { packed } = await delegatedProof(openBlock, 5n * TOKENS);
    const closing = await signClosingAgreement(f.receiver, f.domain, msg(openBlock, 5n * TOKENS));
    const { events } = await f.mined(
      await f.manager.write.cooperativeClose(
        [sender, receiver, openBlock, 5n * TOKENS, packed, closing],
        as(f.receiver),
      ),
    );
    assert.equal(events.find((e) => e.eventName === "ChannelSettled")?.args.balance, 5n * TOKENS);
  });

  it("a delegation replayed on another channel of the same sender and receiver is refused", async () => {
    const first = await f.openChannel();
    const second = await f.openChannel();
    // Delegated for the first channel, the key signs a proof for the second.
    const { packed } = await delegatedProof(second, 1n, { delegatedOpenBlock: first });
    await expectDelegationRefused(withdraw(second, 1n, packed));
  });

  it("a delegation replayed on another manager is refused", async () => {
    const otherManager = await f.viem.deployContract("ChannelManager", [f.token.address, 500n]);
    await f.token.write.approve([otherManager.address, 10n * TOKENS], as(f.sender));
    const { receipt } = await f.mined(
      await otherManager.write.createChannel([receiver, 10n * TOKENS, zeroAddress], as(f.sender)),
    );
    const openBlock = receipt.blockNumber;
    // Both the delegation and the proof are signed in the first manager's domain: valid there, not on the second.
    const { packed } = await delegatedProof(openBlock, 1n);
    assert.equal(await f.manager.read.extractBalanceProofSignature([sender, receiver, openBlock, 1n, packed]), sender);
    await expectDelegationRefused(withdraw(openBlock, 1n, packed, otherManager));
  });

  it("a delegation signed for another chain id is refused", async () => {
    const openBlock = await f.openChannel();
    const { packed } = await delegatedProof(openBlock, 1n, { domain: { ...f.domain, chainId: f.chainId + 1 } });
    await expectDelegationRefused(withdraw(openBlock, 1n, packed));
  });

  it("a delegation signed by anyone but the sender is refused, naming who signed", async () => {
    const openBlock = await f.openChannel(f.sender, receiver, 10n * TOKENS, newSessionKey().address);
    for (const delegator of [f.other, f.receiver]) {
      const { packed } = await delegatedProof(openBlock, 1n, { delegator });
      await expectRevert(withdraw(openBlock, 1n, packed), "InvalidSignerDelegation", [
        getAddress(delegator.account.address),
        sender,
      ]);
    }
  });

  it("a proof not signed by the delegated key is refused, even with the sender's delegation beside it", async () => {
    const openBlock = await f.openChannel();
    const { key, delegation } = await delegatedProof(openBlock, 1n);
    const stranger = newSessionKey();
    const proof = await signBalanceProof(stranger, f.domain, msg(openBlock, 1n));
    await expectRevert(
      withdraw(openBlock, 1n, packDelegatedSignature({ proof, signer: key.address, delegation })),
      "InvalidBalanceProofSigner",
      [stranger.address, sender, key.address],
    );
  });

  it("the receiver cannot be the delegate, even by the sender's own delegation", async () => {
    const openBlock = await f.openChannel();
    const delegation = await f.sender.signTypedData(
      signerDelegationTypedData(f.domain, { sender, receiver, openBlock, signer: receiver }),
    );
    const proof = await signBalanceProof(f.receiver, f.domain, msg(openBlock, 1n));
    await expectRevert(
      withdraw(openBlock, 1n, packDelegatedSignature({ proof, signer: receiver, delegation })),
      "InvalidSigner",
      [receiver],
    );
  });

  it("a malformed 150-byte signature reverts with the defect of the part that is wrong", async () => {
    const openBlock = await f.openChannel();
    const { key, delegation, proof, packed } = await delegatedProof(openBlock, 1n);
    const zeros = `0x${"00".repeat(150)}` as const;
    // All zeros: the delegation's v is 0, which no signature has.
    await expectRevert(withdraw(openBlock, 1n, zeros), "ECDSAInvalidSignature");
    await expectRevert(
      withdraw(openBlock, 1n, packDelegatedSignature({ proof, signer: key.address, delegation: malleate(delegation) })),
      "ECDSAInvalidSignatureS",
    );
    await expectRevert(
      withdraw(openBlock, 1n, packDelegatedSignature({ proof: malleate(proof), signer: key.address, delegation })),
      "ECDSAInvalidSignatureS",
    );
    // The signer's bytes replaced: the delegation then names another key, which the sender never signed for.
    const otherSigner: Address = getAddress(`0x${"11".repeat(20)}`);
    await expectDelegationRefused(
      withdraw(openBlock, 1n, packDelegatedSignature({ proof, signer: otherSigner, delegation })),
    );
    // Any other length is an ordinary signature of the wrong length.
    await expectRevert(withdraw(openBlock, 1n, slice(packed, 0, 149)), "ECDSAInvalidSignatureLength", [149n]);
    await expectRevert(withdraw(openBlock, 1n, `${packed}00`), "ECDSAInvalidSignatureLength", [151n]);
  });

  it("batchWithdraw takes 65-byte proofs only: a delegated key's proof alone is skipped, not paid", async () => {
    const openBlock = await f.openChannel();
    const { proof } = await delegatedProof(openBlock, 1n);
    const { r, yParityAndS } = signatureToCompactSignature(parseSignature(proof));
    const { events } = await f.mined(
      await f.manager.write.batchWithdraw([[{ sender, openBlock, balance: 1n, r, vs: yParityAndS }]], as(f.receiver)),
    );
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["WithdrawalSkipped"],
    );
  });

  /** A delegation that names another channel, manager or chain recovers to an arbitrary address, never the sender. */
  function expectDelegationRefused(promise: Promise<unknown>) {
    return expectRevert(promise, "InvalidSignerDelegation");
  }
});
