import { createRequire } from "node:module";
import { channelTypes, getDomain, signatureDefect } from "@micro-raiden/web-client/protocol";
import { secp256k1 as nobleSecp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type Address, domainSeparator, type Hex, hexToBytes, keccak256, toBytes } from "viem";

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

/** Writes `value` as a big-endian 32-byte word at `offset`. */
function writeWord(target: Uint8Array, offset: number, value: bigint) {
  let v = value;
  for (let i = offset + 31; i >= offset; i--) {
    target[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * Verifies balance proofs fast enough for a busy receiver. viem's recoverTypedDataAddress costs about 1.5 ms here;
 * this hashes the fixed-layout message directly (the digest is pinned to viem's hashTypedData by a test) and
 * recovers the signer with libsecp256k1 through the `secp256k1` package's N-API binding (about 0.07 ms), or with
 * `@noble/curves` where the binding cannot be loaded (see `defaultSecp256k1Recovery`).
 */
export class SignatureVerifier {
  readonly #prefix: Uint8Array;
  readonly #typeHash: Uint8Array;
  readonly #receiver: bigint;
  readonly #recovery: Secp256k1Recovery;

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
    const separator = hexToBytes(domainSeparator({ domain }));
    this.#prefix = new Uint8Array([0x19, 0x01, ...separator]);
    this.#typeHash = hexToBytes(keccak256(toBytes(encodeType("BalanceProof"))));
    this.#receiver = BigInt(parameters.receiver);
  }

  /** The EIP-712 digest of a balance proof to this receiver. */
  digest(sender: Address, openBlock: bigint, balance: bigint): Uint8Array {
    const struct = new Uint8Array(160);
    struct.set(this.#typeHash, 0);
    writeWord(struct, 32, BigInt(sender));
    writeWord(struct, 64, this.#receiver);
    writeWord(struct, 96, openBlock);
    writeWord(struct, 128, balance);
    const message = new Uint8Array(66);
    message.set(this.#prefix, 0);
    message.set(keccak_256(struct), 34);
    return keccak_256(message);
  }

  /** Who signed a balance proof for (sender, openBlock, balance), or undefined for a malformed or invalid signature. */
  recover(sender: Address, openBlock: bigint, balance: bigint, signature: Hex): bigint | undefined {
    if (signatureDefect(signature)) return undefined;
    const digest = this.digest(sender, openBlock, balance);
    const bytes = hexToBytes(signature);
    try {
      const publicKey = this.#recovery.recover(bytes.subarray(0, 64), (bytes[64] ?? 0) - 27, digest);
      const hash = keccak_256(publicKey.subarray(1));
      let address = 0n;
      for (let i = 12; i < 32; i++) address = (address << 8n) | BigInt(hash[i] ?? 0);
      return address;
    } catch {
      return undefined;
    }
  }

  /** Whether `signature` is a balance proof for (sender, openBlock, balance) by one of `signers`. */
  verify(parameters: {
    sender: Address;
    openBlock: bigint;
    balance: bigint;
    signature: Hex;
    signers: readonly Address[];
  }): boolean {
    const signer = this.recover(parameters.sender, parameters.openBlock, parameters.balance, parameters.signature);
    return signer !== undefined && parameters.signers.some((candidate) => BigInt(candidate) === signer);
  }
}
