import { createRequire } from "node:module";
import { channelTypes, getDomain, signatureDefect } from "@micro-raiden/web-client/protocol";
import { secp256k1 as nobleSecp256k1 } from "@noble/curves/secp256k1.js";
import { type Address, domainSeparator, type Hex, hexToBytes, keccak256, toBytes } from "viem";
import { keccak256 as keccak } from "./keccak256.ts";

/**
 * Public key recovery on secp256k1: the 65-byte uncompressed key that signed `digest` with the 64-byte compact
 * signature `rs` and recovery id `recovery` (0 or 1). Throws when no key recovers.
 */
export type Secp256k1Recovery = {
  /** What does the work, for the log line that says which one is in use. */
  readonly name: string;
  recover(rs: Uint8Array, recovery: number, digest: Uint8Array): Uint8Array;
};

/**
 * libsecp256k1 through the `secp256k1` package's N-API binding (about 0.07 ms per recovery), or undefined where the
 * binding cannot be loaded. Loaded as `secp256k1/bindings` on purpose: the package's main entry silently swaps in
 * `elliptic` (pure JS, much slower) when the binding is missing, and we want to know and pick the fallback ourselves.
 *
 * @example
 * import { nativeSecp256k1Recovery } from "./signatureVerifier.ts";
 * if (!nativeSecp256k1Recovery()) console.warn("no native secp256k1 here");
 */
export function nativeSecp256k1Recovery(
  load: () => unknown = () => createRequire(import.meta.url)("secp256k1/bindings"),
): Secp256k1Recovery | undefined {
  let binding: unknown;
  try {
    binding = load();
  } catch {
    return undefined;
  }
  const ecdsaRecover: unknown =
    typeof binding === "object" && binding ? Reflect.get(binding, "ecdsaRecover") : undefined;
  if (typeof ecdsaRecover !== "function") return undefined;
  return {
    name: "libsecp256k1 (native secp256k1 binding)",
    recover: (rs, recovery, digest) => Reflect.apply(ecdsaRecover, binding, [rs, recovery, digest, false]),
  };
}

/** Audited pure-JavaScript recovery (`@noble/curves`, the library viem itself uses), for where no binding loads. */
export const nobleSecp256k1Recovery: Secp256k1Recovery = {
  name: "@noble/curves (pure JavaScript; the native secp256k1 binding could not be loaded)",
  recover: (rs, recovery, digest) =>
    nobleSecp256k1.Signature.fromCompact(rs).addRecoveryBit(recovery).recoverPublicKey(digest).toRawBytes(false),
};

export type VerifierLog = (level: "info" | "warn", message: string) => void;

/**
 * The native recovery when there is one, else `@noble/curves`; says which in one line (a warning for the fallback,
 * so an operator sees the receiver runs on the slow path), to `log` or the console.
 *
 * @example
 * import { chooseSecp256k1Recovery, nativeSecp256k1Recovery } from "./signatureVerifier.ts";
 * const recovery = chooseSecp256k1Recovery({ native: nativeSecp256k1Recovery() });
 */
export function chooseSecp256k1Recovery(parameters: {
  native: Secp256k1Recovery | undefined;
  log?: VerifierLog | undefined;
}): Secp256k1Recovery {
  const recovery = parameters.native ?? nobleSecp256k1Recovery;
  const level = parameters.native ? "info" : "warn";
  const message = `balance proofs are verified with ${recovery.name}`;
  if (parameters.log) parameters.log(level, message);
  else console[level](`[receiver] ${message}`);
  return recovery;
}

let chosen: Secp256k1Recovery | undefined;

/**
 * The recovery this process uses, chosen (and logged) once per process by `chooseSecp256k1Recovery`.
 *
 * @example
 * import { defaultSecp256k1Recovery } from "./signatureVerifier.ts";
 * const { name } = defaultSecp256k1Recovery((level, message) => console[level](message));
 */
export function defaultSecp256k1Recovery(log?: VerifierLog): Secp256k1Recovery {
  chosen ??= chooseSecp256k1Recovery({ native: nativeSecp256k1Recovery(), log });
  return chosen;
}

/** EIP-712 encodeType of a message type, built from the protocol's definition so it cannot drift. */
function encodeType(name: keyof typeof channelTypes): string {
  return `${name}(${channelTypes[name].map((field) => `${field.type} ${field.name}`).join(",")})`;
}

/** A balance proof to check: whether `signature` signs (sender, openBlock, balance) and is by one of `signers`. */
export type SignatureCheck = {
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  signature: Hex;
  signers: readonly Address[];
};

const hexAddress = /^0x[0-9a-fA-F]{40}$/;
const maxUint64 = 2n ** 64n - 1n;
const maxUint256 = 2n ** 256n - 1n;

/**
 * Verifies balance proofs fast enough for a busy receiver. viem's recoverTypedDataAddress costs about 1.5 ms here;
 * this hashes the fixed-layout message directly (the digest is pinned to viem's hashTypedData by a test) with a
 * WebAssembly Keccak, recovers the signer with libsecp256k1 through the `secp256k1` package's N-API binding (about
 * 0.07 ms), or with `@noble/curves` where the binding cannot be loaded (see `defaultSecp256k1Recovery`), and
 * compares addresses as lowercase hex.
 *
 * It recovers rather than verifying against the channel's known signer key: a verification checks r and s only, so
 * it would accept the same signature with the other v, which the contract's ecrecover maps to another address, and
 * the receiver would then hold a proof it cannot redeem. Verification plus the parity of R is recovery, but no
 * faster one is at hand: libsecp256k1's ecdsaVerify (45 µs of CPU against 55 µs for ecdsaRecover, measured here)
 * does not give R, and computing R = s⁻¹·e·G + s⁻¹·r·Q in JavaScript from a cached key's precomputed table takes
 * ~500 µs (`@noble/curves`, window 8, with `multiply`: its `multiplyUnsafe` on a point with a table, the base
 * point's included, returned wrong points for full-size scalars in 1.9.1). That beats `@noble/curves`' own recovery
 * (~1.6 ms) but costs a 240 kB table built in ~23 ms per signer, so it pays only past ~20 proofs by one signer, and
 * only where the binding does not load: left out.
 *
 * Not safe to share between threads' interleaved calls (it reuses its buffers), which JavaScript never does.
 */
export class SignatureVerifier {
  readonly #recovery: Secp256k1Recovery;
  /** typeHash ‖ sender ‖ receiver ‖ openBlock ‖ balance: the receiver's word and the type hash stay in place. */
  readonly #struct = Buffer.alloc(160);
  /** 0x1901 ‖ domain separator ‖ hash of the struct: the first 34 bytes stay in place. */
  readonly #message = Buffer.alloc(66);

  constructor(parameters: {
    chainId: number;
    contract: Address;
    receiver: Address;
    /** Which secp256k1 recovery to use (tests force the fallback); default `defaultSecp256k1Recovery(log)`. */
    recovery?: Secp256k1Recovery | undefined;
    /** Where the one line saying which recovery is in use goes (default: console). */
    log?: VerifierLog | undefined;
  }) {
    this.#recovery = parameters.recovery ?? defaultSecp256k1Recovery(parameters.log);
    const domain = getDomain({ chainId: parameters.chainId, contract: parameters.contract });
    this.#message.set([0x19, 0x01], 0);
    this.#message.set(hexToBytes(domainSeparator({ domain })), 2);
    this.#struct.set(hexToBytes(keccak256(toBytes(encodeType("BalanceProof")))), 0);
    this.#struct.write(parameters.receiver.slice(2), 76, 20, "hex");
  }

  /** The EIP-712 digest of a balance proof to this receiver. Throws for a malformed sender or an out-of-range number. */
  digest(sender: Address, openBlock: bigint, balance: bigint): Uint8Array {
    if (!hexAddress.test(sender)) throw new TypeError(`Not an address: ${sender}`);
    if (openBlock < 0n || openBlock > maxUint64) throw new RangeError(`openBlock out of range: ${openBlock}`);
    if (balance < 0n || balance > maxUint256) throw new RangeError(`balance out of range: ${balance}`);
    const struct = this.#struct;
    struct.fill(0, 32, 44);
    struct.write(sender.slice(2), 44, 20, "hex");
    struct.write(openBlock.toString(16).padStart(64, "0"), 96, 32, "hex");
    struct.write(balance.toString(16).padStart(64, "0"), 128, 32, "hex");
    this.#message.set(keccak(struct), 34);
    return keccak(this.#message);
  }

  /**
   * Who signed a balance proof for (sender, openBlock, balance), as a lowercase address, or undefined for a malformed
   * or invalid signature (wrong length, high s, v other than 27 or 28, or no key recovers).
   */
  recover(sender: Address, openBlock: bigint, balance: bigint, signature: Hex): Address | undefined {
    if (signatureDefect(signature)) return undefined;
    try {
      const digest = this.digest(sender, openBlock, balance);
      const bytes = Buffer.from(signature.slice(2), "hex");
      const publicKey = this.#recovery.recover(bytes.subarray(0, 64), (bytes[64] ?? 0) - 27, digest);
      return `0x${Buffer.from(keccak(publicKey.subarray(1))).toString("hex", 12, 32)}`;
    } catch {
      return undefined;
    }
  }

  /** Whether `signature` is a balance proof for (sender, openBlock, balance) by one of `signers`. */
  verify(parameters: SignatureCheck): boolean {
    const signer = this.recover(parameters.sender, parameters.openBlock, parameters.balance, parameters.signature);
    return signer !== undefined && parameters.signers.some((candidate) => candidate.toLowerCase() === signer);
  }
}
