import { keccak_256 } from "@noble/hashes/sha3.js";
import { createKeccak, type IHasher } from "hash-wasm";

// Node's OpenSSL has SHA3-256 but not Keccak-256 (Ethereum's hash, which pads differently), so it must come from a
// package. hash-wasm's WebAssembly Keccak hashes a balance proof's three short inputs about 10× faster than
// @noble/hashes (pure JavaScript) here; see the receiver's README. Its module is instantiated asynchronously, so
// calls made before it is ready (the first milliseconds of a process) use @noble/hashes: both give the same bytes.
let wasm: IHasher | undefined;

/**
 * Resolves once Keccak-256 runs on WebAssembly (it does not reject: where WebAssembly is unavailable, @noble/hashes
 * stays in use). Loading this module starts it; awaiting it is only needed to measure or test the WebAssembly path.
 *
 * @example
 * import { keccak256, keccakOnWasm } from "./keccak256.ts";
 * await keccakOnWasm;
 * keccak256(new Uint8Array(0)); // c5d24601…, on WebAssembly
 */
export const keccakOnWasm: Promise<boolean> = createKeccak(256).then(
  (hasher) => {
    wasm = hasher;
    return true;
  },
  () => false,
);

/**
 * Keccak-256 of `data`, synchronously (one shared WebAssembly instance: nothing else runs between its init, update
 * and digest on this thread).
 *
 * @example
 * import { keccak256 } from "./keccak256.ts";
 * const hash = keccak256(new TextEncoder().encode("abc")); // 32 bytes
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return wasm ? wasm.init().update(data).digest("binary") : keccak_256(data);
}

/** Keccak-256 by @noble/hashes alone, for the test that pins the WebAssembly path to it. */
export const nobleKeccak256: (data: Uint8Array) => Uint8Array = keccak_256;
