import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { balanceProofTypedData, closingAgreementTypedData } from "./typedData.ts";
import { verifyBalanceProof, verifyClosingSignature } from "./verify.ts";

const sender = privateKeyToAccount(generatePrivateKey());
const receiver = privateKeyToAccount(generatePrivateKey());
const session = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const domain = { chainId: 31337, contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" } as const;
const message = { sender: sender.address, receiver: receiver.address, openBlock: 12n, balance: 5000n };

describe("verifyBalanceProof", () => {
  it("accepts the sender's proof and the channel's delegated signer's proof", async () => {
    const bySender = await sender.signTypedData(balanceProofTypedData(domain, message));
    const bySession = await session.signTypedData(balanceProofTypedData(domain, message));
    assert.equal(await verifyBalanceProof({ domain, message, signature: bySender }), true);
    assert.equal(
      await verifyBalanceProof({ domain, message, signature: bySession, delegatedSigner: session.address }),
      true,
    );
    assert.equal(await verifyBalanceProof({ domain, message, signature: bySession }), false);
  });

  it("refuses a stranger's proof, another balance, channel, contract or chain", async () => {
    const signature = await sender.signTypedData(balanceProofTypedData(domain, message));
    const byStranger = await stranger.signTypedData(balanceProofTypedData(domain, message));
    assert.equal(await verifyBalanceProof({ domain, message, signature: byStranger }), false);
    assert.equal(await verifyBalanceProof({ domain, message: { ...message, balance: 5001n }, signature }), false);
    assert.equal(await verifyBalanceProof({ domain, message: { ...message, openBlock: 13n }, signature }), false);
    assert.equal(
      await verifyBalanceProof({ domain: { ...domain, contract: receiver.address }, message, signature }),
      false,
    );
    assert.equal(await verifyBalanceProof({ domain: { ...domain, chainId: 1 }, message, signature }), false);
  });

  it("refuses a malleated or malformed signature without throwing", async () => {
    const signature = await sender.signTypedData(balanceProofTypedData(domain, message));
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const flipped = signature.slice(130) === "1b" ? "1c" : "1b";
    const high = `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${flipped}` as const;
    assert.equal(await verifyBalanceProof({ domain, message, signature: `0x${high.slice(2)}` }), false);
    assert.equal(await verifyBalanceProof({ domain, message, signature: "0x1234" }), false);
    assert.equal(await verifyBalanceProof({ domain, message, signature: `0x${"00".repeat(64)}1b` }), false);
  });
});

describe("verifyClosingSignature", () => {
  it("accepts only the receiver's closing agreement, never a balance proof", async () => {
    const closing = await receiver.signTypedData(closingAgreementTypedData(domain, message));
    const proofByReceiver = await receiver.signTypedData(balanceProofTypedData(domain, message));
    assert.equal(await verifyClosingSignature({ domain, message, signature: closing }), true);
    assert.equal(await verifyClosingSignature({ domain, message, signature: proofByReceiver }), false);
    const bySender = await sender.signTypedData(closingAgreementTypedData(domain, message));
    assert.equal(await verifyClosingSignature({ domain, message, signature: bySender }), false);
  });
});
