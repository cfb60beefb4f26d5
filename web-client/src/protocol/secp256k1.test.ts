import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Hex, parseSignature, recoverTypedDataAddress, type TypedDataDefinition } from "viem";
import { generatePrivateKey, privateKeyToAccount, signTypedData } from "viem/accounts";
import {
  generateSessionKey,
  keyAddress,
  recoverTypedDataSigner,
  signTypedDataWithKey,
  splitSignature,
} from "./secp256k1.ts";
import { contract, receiver, sender } from "./testValues.test-helper.ts";
import { balanceProofTypedData, closeRequestTypedData } from "./typedData.ts";

const domain = { chainId: 31337, contract };
const typedDataSamples: TypedDataDefinition[] = [
  balanceProofTypedData(domain, { sender, receiver, openBlock: 12n, balance: 5n }),
  balanceProofTypedData({ chainId: 11155111, contract }, { sender, receiver, openBlock: 1n, balance: 10n ** 18n }),
  closeRequestTypedData(domain, { sender, receiver, openBlock: 99n, balance: 0n, deadline: 1_900_000_000n }),
];

describe("secp256k1 (the client's own signing)", () => {
  it("signs byte for byte as viem's signTypedData does, for many keys and messages", async () => {
    for (let i = 0; i < 40; i++) {
      const privateKey: Hex = i === 0 ? `0x${"0".repeat(63)}1` : generatePrivateKey();
      for (const typedData of typedDataSamples) {
        assert.equal(
          await signTypedDataWithKey(typedData, privateKey),
          await signTypedData({ ...typedData, privateKey }),
        );
      }
    }
  });

  it("recovers the signer as viem's recoverTypedDataAddress does", async () => {
    for (let i = 0; i < 10; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      const [typedData] = typedDataSamples;
      if (!typedData) throw new Error("no sample");
      const signature = await account.signTypedData(typedData);
      assert.equal(await recoverTypedDataSigner(typedData, signature), account.address);
      assert.equal(await recoverTypedDataAddress({ ...typedData, signature }), account.address);
      // v as 0 or 1 (yParity) recovers the same signer.
      const yParity = signature.endsWith("1c") ? "01" : "00";
      assert.equal(await recoverTypedDataSigner(typedData, `0x${signature.slice(2, 130)}${yParity}`), account.address);
    }
  });

  it("refuses what recovers no signer: wrong length, bad v, r or s out of range", async () => {
    const [typedData] = typedDataSamples;
    if (!typedData) throw new Error("no sample");
    const signature = await signTypedData({ ...typedData, privateKey: generatePrivateKey() });
    const r = signature.slice(2, 66);
    const s = signature.slice(66, 130);
    for (const bad of [
      `0x${r}${s}`,
      `0x${r}${s}1d`,
      `0x${"0".repeat(64)}${s}1b`,
      `0x${r}${"0".repeat(64)}1b`,
      `0x${"f".repeat(64)}${s}1b`,
    ] satisfies Hex[]) {
      await assert.rejects(recoverTypedDataSigner(typedData, bad));
    }
  });

  it("splits a signature into r, s and v as viem's parseSignature does, and refuses what it refuses", async () => {
    const sample = (i: number) => typedDataSamples[i % typedDataSamples.length] ?? assert.fail("no sample");
    for (let i = 0; i < 20; i++) {
      const signature = await signTypedData({ ...sample(i), privateKey: generatePrivateKey() });
      const yParity = signature.endsWith("1c") ? "01" : "00";
      for (const variant of [signature, `0x${signature.slice(2, 130)}${yParity}`] satisfies Hex[]) {
        const viem = parseSignature(variant);
        assert.deepEqual(splitSignature(variant), {
          r: viem.r,
          s: viem.s,
          v: Number(viem.v ?? BigInt(viem.yParity + 27)),
          yParity: viem.yParity,
        });
      }
    }
    const signature = await signTypedData({ ...sample(0), privateKey: generatePrivateKey() });
    const r = signature.slice(2, 66);
    const s = signature.slice(66, 130);
    for (const bad of [
      `0x${r}${s}1d`,
      `0x${r}${s}02`,
      `0x${"0".repeat(64)}${s}1b`,
      `0x${r}${"0".repeat(64)}1b`,
      `0x${"f".repeat(64)}${s}1b`,
    ] satisfies Hex[]) {
      assert.throws(() => parseSignature(bad));
      assert.throws(() => splitSignature(bad));
    }
    assert.throws(() => splitSignature(`0x${r}${s}`));
  });

  it("makes session keys whose address is viem's for the same key", () => {
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const key = generateSessionKey();
      assert.match(key, /^0x[0-9a-f]{64}$/);
      assert.equal(keyAddress(key), privateKeyToAccount(key).address);
      keys.add(key);
    }
    assert.equal(keys.size, 20);
  });
});
