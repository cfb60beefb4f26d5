import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { balanceProofTypedData } from "@micro-raiden/web-client/protocol";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type SignatureCheck, SignatureVerifier } from "./signatureVerifier.ts";
import { createProofVerifier, defaultVerifierThreads } from "./verifierPool.ts";

const sender = privateKeyToAccount(generatePrivateKey());
const session = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const receiver = privateKeyToAccount(generatePrivateKey()).address;
const domain = { chainId: 31337, contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" } as const;
const flipV = (signature: Hex): Hex => `0x${signature.slice(2, 130)}${signature.endsWith("1b") ? "1c" : "1b"}`;

/** Valid proofs by the sender and its session key, and proofs that must be refused, for channel 7. */
async function mixedChecks(): Promise<SignatureCheck[]> {
  const checks: SignatureCheck[] = [];
  for (let balance = 1n; balance <= 12n; balance++) {
    const typedData = balanceProofTypedData(domain, { sender: sender.address, receiver, openBlock: 7n, balance });
    const bySender = await sender.signTypedData(typedData);
    const bySession = await session.signTypedData(typedData);
    const byStranger = await stranger.signTypedData(typedData);
    const base = { sender: sender.address, openBlock: 7n, balance, signers: [session.address, sender.address] };
    checks.push(
      { ...base, signature: bySender },
      { ...base, signature: bySession },
      { ...base, signature: bySession, signers: [sender.address] },
      { ...base, signature: byStranger },
      { ...base, signature: flipV(bySender) },
      { ...base, signature: bySender, balance: balance + 1n },
      { ...base, signature: bySender, openBlock: 8n },
      { ...base, signature: "0x1234" },
      { ...base, signature: bySender, balance: 2n ** 256n },
    );
  }
  return checks;
}

describe("createProofVerifier", () => {
  const local = new SignatureVerifier({ ...domain, receiver });

  it("gives, on worker threads, exactly the verdicts of the verifier on this thread, for checks sent all at once", async () => {
    const checks = await mixedChecks();
    const pool = createProofVerifier({ ...domain, receiver, threads: 2 });
    try {
      await pool.ready;
      const verdicts = await Promise.all(checks.map((check) => pool.verify(check)));
      assert.deepEqual(
        verdicts,
        checks.map((check) => local.verify(check)),
      );
      assert.equal(verdicts.filter(Boolean).length, 24, "the sender's and the session key's 12 proofs each");
      // And one by one (a batch of one each time).
      for (const check of checks.slice(0, 9)) assert.equal(await pool.verify(check), local.verify(check));
    } finally {
      await pool.close();
    }
  });

  it("answers on this thread, the same, once its workers are gone", async () => {
    const checks = await mixedChecks();
    const pool = createProofVerifier({ ...domain, receiver, threads: 1 });
    await pool.close();
    await pool.ready; // resolves for a thread that died too
    const verdicts = await Promise.all(checks.map((check) => pool.verify(check)));
    assert.deepEqual(
      verdicts,
      checks.map((check) => local.verify(check)),
    );
  });

  it("checks on this thread with 0 threads, and refuses a thread count that is not a whole number", async () => {
    const [check] = await mixedChecks();
    assert.ok(check);
    assert.equal(createProofVerifier({ ...domain, receiver, threads: 0 }).verify(check), true);
    for (const threads of [-1, 1.5, Number.NaN]) {
      assert.throws(() => createProofVerifier({ ...domain, receiver, threads }), /whole number/);
    }
  });

  it("sizes the default pool to the cores beyond the HTTP thread and the proof writer, at most 4", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 8, 64].map((cores) => defaultVerifierThreads(cores)),
      [0, 0, 1, 2, 4, 4],
    );
  });
});
