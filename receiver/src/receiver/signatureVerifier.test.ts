import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { balanceProofTypedData } from "@micro-raiden/web-client/protocol";
import { hashTypedData, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { SignatureVerifier } from "./signatureVerifier.ts";

const sender = privateKeyToAccount(generatePrivateKey());
const session = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const receiver = privateKeyToAccount(generatePrivateKey()).address;
const domain = { chainId: 31337, contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" } as const;
const verifier = new SignatureVerifier({ ...domain, receiver });
const message = (balance: bigint) => ({ sender: sender.address, receiver, openBlock: 7n, balance });

describe("SignatureVerifier", () => {
  it("hashes exactly as viem hashes the protocol's typed data", () => {
    for (const balance of [0n, 1n, 2n ** 255n, 12345678901234567890n]) {
      assert.equal(
        toHex(verifier.digest(sender.address, 7n, balance)),
        hashTypedData(balanceProofTypedData(domain, message(balance))),
      );
    }
  });

  it("accepts the sender's and the delegated signer's proofs, first by recovery and then by the cached key", async () => {
    for (const balance of [1n, 2n, 3n]) {
      for (const signer of [sender, session]) {
        const signature = await signer.signTypedData(balanceProofTypedData(domain, message(balance)));
        assert.equal(
          verifier.verify({
            sender: sender.address,
            openBlock: 7n,
            balance,
            signature,
            signers: [session.address, sender.address],
          }),
          true,
        );
      }
    }
  });

  it("refuses a stranger's proof, a proof for another balance, channel or contract, and a session key not registered", async () => {
    const signature = await sender.signTypedData(balanceProofTypedData(domain, message(5n)));
    const signers = [sender.address];
    assert.equal(verifier.verify({ sender: sender.address, openBlock: 7n, balance: 6n, signature, signers }), false);
    assert.equal(verifier.verify({ sender: sender.address, openBlock: 8n, balance: 5n, signature, signers }), false);
    const byStranger = await stranger.signTypedData(balanceProofTypedData(domain, message(5n)));
    assert.equal(
      verifier.verify({ sender: sender.address, openBlock: 7n, balance: 5n, signature: byStranger, signers }),
      false,
    );
    const otherContract = await sender.signTypedData(
      balanceProofTypedData({ ...domain, contract: receiver }, message(5n)),
    );
    assert.equal(
      verifier.verify({ sender: sender.address, openBlock: 7n, balance: 5n, signature: otherContract, signers }),
      false,
    );
    const bySession = await session.signTypedData(balanceProofTypedData(domain, message(5n)));
    assert.equal(
      verifier.verify({ sender: sender.address, openBlock: 7n, balance: 5n, signature: bySession, signers }),
      false,
    );
  });
});
