// The client's own secp256k1 work, internal to the package (not exported): signing with a session key, recovering
// a proof's signer, making session keys, splitting a permit's signature into v, r and s. Through the standalone
// @noble/secp256k1 rather than viem's accounts and parseSignature, whose @noble/curves build was over a third of the
// payment Service Worker and 10 kB gzip of the script tag (its schnorr and hash-to-curve code is not tree-shaken).
// Typed-data hashing and addresses stay viem's. Signatures are byte-identical to viem's `signTypedData` (RFC 6979
// nonces, low s, no extra entropy): secp256k1.test.ts checks it.
import { getPublicKey, recoverPublicKeyAsync, Signature, signAsync, utils } from "@noble/secp256k1";
import { type Address, bytesToHex, type Hex, hashTypedData, hexToBytes, type TypedDataDefinition } from "viem";
import { publicKeyToAddress } from "viem/accounts";

/**
 * The 65-byte (r, s, v) signature of `typedData` by `privateKey`, v being 27 or 28: what viem's
 * `signTypedData({ ...typedData, privateKey })` gives. The nonce's HMAC comes from WebCrypto.
 */
export async function signTypedDataWithKey(typedData: TypedDataDefinition, privateKey: Hex): Promise<Hex> {
  const signature = await signAsync(hexToBytes(hashTypedData(typedData)), hexToBytes(privateKey), {
    prehash: false,
    lowS: true,
    format: "recovered",
  });
  // noble's recovered format is v ‖ r ‖ s with v 0 or 1; the contract (and viem) take r ‖ s ‖ v with 27 or 28.
  return `${bytesToHex(signature.subarray(1))}${signature[0] === 1 ? "1c" : "1b"}`;
}

/**
 * The address that signed `typedData` with the 65-byte (r, s, v) `signature`, v being 0, 1, 27 or 28: what viem's
 * `recoverTypedDataAddress` finds. Throws when the signature is malformed or recovers no point.
 */
export async function recoverTypedDataSigner(typedData: TypedDataDefinition, signature: Hex): Promise<Address> {
  const bytes = hexToBytes(signature);
  const v = bytes[64];
  if (bytes.length !== 65 || v === undefined) throw new Error("A signature is 65 bytes.");
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) throw new Error(`A signature's v is 0, 1, 27 or 28, not ${v}.`);
  const recoverable = new Uint8Array(65);
  recoverable[0] = recovery;
  recoverable.set(bytes.subarray(0, 64), 1);
  const publicKey = await recoverPublicKeyAsync(recoverable, hexToBytes(hashTypedData(typedData)), {
    prehash: false,
    isCompressed: false,
  });
  return publicKeyToAddress(bytesToHex(publicKey));
}

/**
 * The parts of a 65-byte (r, s, v) signature, v being 0, 1, 27 or 28, as an EIP-2612 `permit(…, v, r, s)` takes
 * them: what viem's `parseSignature` gives (r and s padded to 32 bytes, v as 27 or 28). Throws when the length, v,
 * r or s (each in 1 … n − 1) is not a signature's.
 */
export function splitSignature(signature: Hex): { r: Hex; s: Hex; v: 27 | 28; yParity: 0 | 1 } {
  const bytes = hexToBytes(signature);
  const v = bytes[64];
  if (bytes.length !== 65 || v === undefined) throw new Error("A signature is 65 bytes.");
  const yParity = v >= 27 ? v - 27 : v;
  if (yParity !== 0 && yParity !== 1) throw new Error(`A signature's v is 0, 1, 27 or 28, not ${v}.`);
  Signature.fromBytes(bytes.subarray(0, 64)); // checks r and s
  return {
    r: bytesToHex(bytes.subarray(0, 32)),
    s: bytesToHex(bytes.subarray(32, 64)),
    v: yParity === 0 ? 27 : 28,
    yParity,
  };
}

/** A fresh random private key (a channel's session key): what viem's `generatePrivateKey` makes. */
export function generateSessionKey(): Hex {
  return bytesToHex(utils.randomSecretKey());
}

/** The address of `privateKey`: viem's `privateKeyToAccount(privateKey).address`. */
export function keyAddress(privateKey: Hex): Address {
  return publicKeyToAddress(bytesToHex(getPublicKey(hexToBytes(privateKey), false)));
}
