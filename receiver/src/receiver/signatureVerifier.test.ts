import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { balanceProofTypedData } from "@micro-raiden/web-client/protocol";
import { type Address, type Hex, hashTypedData, hexToBytes, recoverTypedDataAddress, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { keccak256, keccakOnWasm, nobleKeccak256 } from "./keccak256.ts";
import {
  chooseSecp256k1Recovery,
  nativeSecp256k1Recovery,
  nobleSecp256k1Recovery,
  type Secp256k1Recovery,
  SignatureVerifier,
} from "./signatureVerifier.ts";

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

  it("accepts the sender's and the delegated signer's proofs", async () => {
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

describe("SignatureVerifier refuses exactly what viem's recovery and the contract refuse", () => {
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const word = (value: bigint) => toHex(value, { size: 32 }).slice(2);
  const flipV = (signature: Hex): Hex => `0x${signature.slice(2, 130)}${signature.endsWith("1b") ? "1c" : "1b"}`;
  const highS = (signature: Hex): Hex => {
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    return flipV(`0x${signature.slice(2, 66)}${word(n - s)}${signature.slice(130)}`);
  };
  const randomWord = (bits: number) => BigInt(toHex(randomBytes(32))) >> BigInt(256 - bits);

  it("agrees with viem's recoverTypedDataAddress on random proofs, keys, channels, balances and garbage", async () => {
    await keccakOnWasm;
    for (let i = 0; i < 60; i++) {
      const key = privateKeyToAccount(generatePrivateKey());
      const channelSender = i % 3 ? sender.address : key.address;
      const openBlock = randomWord(i % 2 ? 64 : 20);
      const balance = randomWord([1, 64, 128, 256][i % 4] ?? 256);
      const typedData = balanceProofTypedData(domain, { sender: channelSender, receiver, openBlock, balance });
      const signed = await key.signTypedData(typedData);
      // A random (r, s) with a valid v: usually recovers some unrelated key, sometimes none.
      const garbage: Hex = `0x${word(randomWord(256))}${word(randomWord(255))}${i % 2 ? "1b" : "1c"}`;
      for (const signature of [signed, flipV(signed), garbage]) {
        const expected = await recoverTypedDataAddress({ ...typedData, signature }).then(
          (address) => address.toLowerCase(),
          () => undefined,
        );
        assert.equal(verifier.recover(channelSender, openBlock, balance, signature), expected, signature);
      }
      assert.equal(verifier.recover(channelSender, openBlock, balance, signed), key.address.toLowerCase());
      // viem recovers high-s signatures; the contract, and so the receiver, refuses them.
      assert.equal(verifier.recover(channelSender, openBlock, balance, highS(signed)), undefined);
    }
  });

  it("refuses a proof for another chain, manager, receiver, channel or balance, and the same signature with the other v", async () => {
    const signature = await sender.signTypedData(balanceProofTypedData(domain, message(5n)));
    const check = (parameters: {
      openBlock?: bigint;
      balance?: bigint;
      signature?: Hex;
      verifier?: SignatureVerifier;
    }) =>
      (parameters.verifier ?? verifier).verify({
        sender: sender.address,
        openBlock: parameters.openBlock ?? 7n,
        balance: parameters.balance ?? 5n,
        signature: parameters.signature ?? signature,
        signers: [sender.address],
      });
    assert.equal(check({}), true);
    assert.equal(check({ verifier: new SignatureVerifier({ ...domain, chainId: 1, receiver }) }), false);
    assert.equal(
      check({ verifier: new SignatureVerifier({ ...domain, contract: stranger.address, receiver }) }),
      false,
    );
    assert.equal(check({ verifier: new SignatureVerifier({ ...domain, receiver: stranger.address }) }), false);
    assert.equal(check({ openBlock: 8n }), false);
    assert.equal(check({ balance: 4n }), false);
    assert.equal(check({ signature: flipV(signature) }), false);
    assert.equal(check({ signature: highS(signature) }), false);
    assert.equal(
      verifier.verify({ sender: stranger.address, openBlock: 7n, balance: 5n, signature, signers: [sender.address] }),
      false,
      "the same proof presented for another sender's channel",
    );
    assert.equal(check({ balance: 2n ** 256n }), false);
    assert.equal(check({ openBlock: -1n }), false);
  });

  it("takes a session key's proof only where it is the channel's signer, and remembers no key across channels", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    const bySession = await session.signTypedData(balanceProofTypedData(domain, message(5n)));
    const bySender = await sender.signTypedData(balanceProofTypedData(domain, message(5n)));
    const at = (openBlock: bigint, signature: Hex, signers: Address[]) =>
      verifier.verify({ sender: sender.address, openBlock, balance: 5n, signature, signers });
    assert.equal(at(7n, bySession, [session.address, sender.address]), true);
    assert.equal(at(7n, bySession, [sender.address]), false, "a session key is not the sender");
    assert.equal(at(7n, bySender, [session.address, sender.address]), true);
    assert.equal(at(7n, bySender, [session.address]), false, "the sender is not the session key");
    // The channel closes and the sender opens a new one (block 9) with another session key: the old key and its
    // proofs are worth nothing there, and the old channel's proofs stay bound to it.
    const reopened = await other.signTypedData(balanceProofTypedData(domain, { ...message(5n), openBlock: 9n }));
    const oldKeyOnNew = await session.signTypedData(balanceProofTypedData(domain, { ...message(5n), openBlock: 9n }));
    assert.equal(at(9n, reopened, [other.address, sender.address]), true);
    assert.equal(at(9n, oldKeyOnNew, [other.address, sender.address]), false);
    assert.equal(at(9n, bySession, [session.address, sender.address]), false);
    assert.equal(at(7n, bySession, [session.address, sender.address]), true);
    assert.equal(at(7n, reopened, [other.address, sender.address]), false);
  });

  it("hashes with WebAssembly Keccak-256 exactly as @noble/hashes does", async () => {
    assert.equal(await keccakOnWasm, true);
    for (let length = 0; length <= 300; length += 1) {
      const data = new Uint8Array(randomBytes(length));
      assert.deepEqual(keccak256(data), nobleKeccak256(data), `length ${length}`);
    }
    // Each result is its own copy, not a view of the hasher's memory.
    const first = keccak256(new Uint8Array([1]));
    const copy = toHex(first);
    keccak256(new Uint8Array([2]));
    assert.equal(toHex(first), copy);
  });
});

describe("secp256k1 recovery: the native binding, and @noble/curves where it cannot be loaded", () => {
  const native = nativeSecp256k1Recovery();
  const verifiers = {
    native: native && new SignatureVerifier({ ...domain, receiver, recovery: native }),
    noble: new SignatureVerifier({ ...domain, receiver, recovery: nobleSecp256k1Recovery }),
  };

  it("does not load a binding that throws or lacks ecdsaRecover, and then chooses @noble/curves with a warning", () => {
    assert.equal(
      nativeSecp256k1Recovery(() => {
        throw new Error("No native build was found");
      }),
      undefined,
    );
    assert.equal(
      nativeSecp256k1Recovery(() => ({})),
      undefined,
    );
    const lines: string[] = [];
    const chosen = chooseSecp256k1Recovery({
      native: undefined,
      log: (level, message) => lines.push(`${level} ${message}`),
    });
    assert.equal(chosen, nobleSecp256k1Recovery);
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /^warn .*@noble\/curves/);
  });

  it("says once per process which recovery is in use", async () => {
    // A fresh instance of the module: its once-per-process choice has not been made yet.
    const url = new URL(`./signatureVerifier.ts?fresh=${Date.now()}`, import.meta.url).href;
    const fresh: typeof import("./signatureVerifier.ts") = await import(url);
    const lines: string[] = [];
    const log = (level: string, message: string) => lines.push(`${level} ${message}`);
    const first = fresh.defaultSecp256k1Recovery(log);
    assert.equal(fresh.defaultSecp256k1Recovery(log), first);
    new fresh.SignatureVerifier({ ...domain, receiver, log });
    assert.deepEqual(lines, [`${native ? "info" : "warn"} balance proofs are verified with ${first.name}`]);
  });

  it("loads the native binding in this repository (prebuilt for linux-x64, darwin-arm64, win32-x64)", {
    skip: !["linux-x64", "darwin-arm64", "win32-x64"].includes(`${process.platform}-${process.arch}`),
  }, () => {
    assert.ok(native, "secp256k1/bindings did not load");
  });

  it("both recover the same signer from valid, invalid, high-s and wrong-v signatures", { skip: !native }, async () => {
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const word = (value: bigint) => toHex(value, { size: 32 }).slice(2);
    const withV = (signature: Hex, v: number): Hex => `0x${signature.slice(2, 130)}${v.toString(16).padStart(2, "0")}`;
    const highS = (signature: Hex): Hex => {
      const s = BigInt(`0x${signature.slice(66, 130)}`);
      const v = Number.parseInt(signature.slice(130), 16);
      return `0x${signature.slice(2, 66)}${word(n - s)}${(v === 27 ? 28 : 27).toString(16)}`;
    };
    const signatures: Hex[] = [];
    for (const balance of [1n, 2n, 3n]) {
      for (const signer of [sender, session, stranger]) {
        const valid = await signer.signTypedData(balanceProofTypedData(domain, message(balance)));
        signatures.push(valid, highS(valid), withV(valid, valid.endsWith("1b") ? 28 : 27));
        for (const v of [0, 1, 26, 29, 30]) signatures.push(withV(valid, v));
      }
    }
    // Not signatures at all: r or s zero or out of range, and random words (which may or may not recover a key).
    const r = word(12345n);
    signatures.push(`0x${word(0n)}${r}1b`, `0x${r}${word(0n)}1b`, `0x${word(n)}${r}1c`, `0x${r}${word(n + 1n)}1b`);
    for (let i = 0; i < 40; i++)
      signatures.push(`0x${word(BigInt(toHex(randomBytes(32))))}${word(BigInt(i + 1))}${i % 2 ? "1b" : "1c"}`);

    for (const signature of signatures) {
      for (const balance of [1n, 2n, 3n]) {
        const fromNative = verifiers.native?.recover(sender.address, 7n, balance, signature);
        const fromNoble = verifiers.noble.recover(sender.address, 7n, balance, signature);
        assert.equal(fromNoble, fromNative, `${signature} at ${balance}`);
        const parameters = {
          sender: sender.address,
          openBlock: 7n,
          balance,
          signature,
          signers: [sender.address, session.address],
        };
        assert.equal(verifiers.noble.verify(parameters), verifiers.native?.verify(parameters));
      }
    }
    // The verifier refuses high-s and wrong-v signatures before recovering; the two libraries also agree below it.
    const digest = verifiers.noble.digest(sender.address, 7n, 1n);
    for (const signature of signatures) {
      const bytes = hexToBytes(signature);
      for (const recovery of [0, 1]) {
        const attempt = (library: Secp256k1Recovery) => {
          try {
            return toHex(library.recover(bytes.subarray(0, 64), recovery, digest));
          } catch {
            return "fails";
          }
        };
        assert.equal(attempt(nobleSecp256k1Recovery), attempt(native ?? nobleSecp256k1Recovery), signature);
      }
    }
    const valid = await sender.signTypedData(balanceProofTypedData(domain, message(1n)));
    const verdicts = [valid, highS(valid), withV(valid, 0)].map((signature) =>
      verifiers.noble.verify({
        sender: sender.address,
        openBlock: 7n,
        balance: 1n,
        signature,
        signers: [sender.address],
      }),
    );
    assert.deepEqual(verdicts, [true, false, false]);
  });
});
