// The contract and the clients must hash the very same typed data: the definitions live once, in the web-client's
// protocol module, and these tests prove the contract agrees with them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  balanceProofTypedData,
  closingAgreementTypedData,
  domainName,
  domainVersion,
} from "@micro-raiden/web-client/protocol";
import { getAddress, hashTypedData, recoverTypedDataAddress } from "viem";
import { deployFixture, signBalanceProof, signClosingAgreement, TOKENS } from "./fixture.ts";

describe("typed data shared with web-client/protocol", async () => {
  const f = await deployFixture();
  const message = {
    sender: getAddress(f.sender.account.address),
    receiver: getAddress(f.receiver.account.address),
    openBlock: 1234n,
    balance: 7n * TOKENS,
  };
  const args = [message.sender, message.receiver, message.openBlock, message.balance] as const;

  it("the contract's EIP-712 domain is the protocol's", async () => {
    const [, name, version, chainId, verifyingContract] = await f.manager.read.eip712Domain();
    assert.deepEqual(
      { name, version, chainId, verifyingContract },
      {
        name: domainName,
        version: domainVersion,
        chainId: BigInt(f.chainId),
        verifyingContract: getAddress(f.manager.address),
      },
    );
  });

  it("hashes a balance proof exactly as viem hashes the protocol's typed data", async () => {
    assert.equal(await f.manager.read.balanceProofHash(args), hashTypedData(balanceProofTypedData(f.domain, message)));
  });

  it("hashes a closing agreement exactly as viem hashes the protocol's typed data", async () => {
    assert.equal(
      await f.manager.read.closingAgreementHash(args),
      hashTypedData(closingAgreementTypedData(f.domain, message)),
    );
  });

  it("recovers the signer of an eth_signTypedData_v4 balance proof, as viem does", async () => {
    const signature = await signBalanceProof(f.sender, f.domain, message);
    assert.equal(await f.manager.read.extractBalanceProofSignature([...args, signature]), message.sender);
    assert.equal(
      await recoverTypedDataAddress({ ...balanceProofTypedData(f.domain, message), signature }),
      message.sender,
    );
  });

  it("recovers the signer of a closing signature", async () => {
    const signature = await signClosingAgreement(f.receiver, f.domain, message);
    assert.equal(await f.manager.read.extractClosingSignature([...args, signature]), message.receiver);
  });

  it("never recovers a balance proof as a closing signature (distinct type hashes)", async () => {
    const proof = await signBalanceProof(f.receiver, f.domain, message);
    assert.notEqual(await f.manager.read.extractClosingSignature([...args, proof]), message.receiver);
  });
});
