import { type Address, getAddress, type Hex } from "viem";
import { type ChannelId, type DomainParameters, getDomain } from "./typedData.ts";

/**
 * EIP-712 `SignerDelegation`: the sender lets `signer` sign balance proofs for one channel, off-chain. An origin
 * that does not hold the key registered at open (browser storage is partitioned per site) makes its own key and
 * asks the wallet for this one signature instead of a transaction. It names the channel, so it is worthless on any
 * other; the manager's domain pins it to one contract on one chain.
 */
export const signerDelegationTypes = {
  SignerDelegation: [
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "openBlock", type: "uint64" },
    { name: "signer", type: "address" },
  ],
} as const;

/** A channel and the key its sender delegated to sign its balance proofs. */
export type SignerDelegation = ChannelId & { signer: Address };

/**
 * The typed data of a signer delegation, for viem's `signTypedData` or `recoverTypedDataAddress`.
 *
 * @example
 * import { signerDelegationTypedData } from "@micro-raiden/web-client/protocol";
 * const delegation = await wallet.signTypedData(
 *   signerDelegationTypedData({ chainId, contract }, { sender, receiver, openBlock: 12n, signer: sessionKey.address }),
 * );
 */
export function signerDelegationTypedData(domain: DomainParameters, message: SignerDelegation) {
  return {
    domain: getDomain(domain),
    types: signerDelegationTypes,
    primaryType: "SignerDelegation",
    message,
  } as const;
}

/**
 * The 150-byte balance signature the manager takes for a proof by a delegated key (`withdraw`, `cooperativeClose`):
 * the proof's 65-byte signature, the delegated signer, then the sender's 65-byte delegation.
 *
 * @example
 * import { packDelegatedSignature } from "@micro-raiden/web-client/protocol";
 * await manager.write.withdraw([sender, openBlock, balance, packDelegatedSignature({ proof, signer, delegation })]);
 */
export function packDelegatedSignature({
  proof,
  signer,
  delegation,
}: {
  proof: Hex;
  signer: Address;
  delegation: Hex;
}): Hex {
  return `${proof}${signer.slice(2)}${delegation.slice(2)}`;
}

/** Bytes of a delegated balance signature (see {@link packDelegatedSignature}). */
export const delegatedSignatureLength = 150;

/**
 * The parts of a delegated (150-byte) balance signature, or undefined for any other length.
 *
 * @example
 * import { unpackDelegatedSignature } from "@micro-raiden/web-client/protocol";
 * const delegated = unpackDelegatedSignature(stored); // { proof, signer, delegation } or undefined
 */
export function unpackDelegatedSignature(signature: Hex): { proof: Hex; signer: Address; delegation: Hex } | undefined {
  if (signature.length !== 2 + delegatedSignatureLength * 2) return undefined;
  // Plain string slices: this runs in the payment worker, whose bytes are budgeted.
  return {
    proof: `0x${signature.slice(2, 132)}`,
    signer: getAddress(`0x${signature.slice(132, 172)}`),
    delegation: `0x${signature.slice(172)}`,
  };
}

/**
 * The balance proof's own 65-byte signature: the signature itself, or the first 65 bytes of a delegated (150-byte)
 * one. What a receiver echoes to the client and shows in its API: the client checks it against its own key.
 *
 * @example
 * import { balanceProofSignature } from "@micro-raiden/web-client/protocol";
 * const echoed = balanceProofSignature(stored); // 65 bytes, whichever form was stored
 */
export function balanceProofSignature(signature: Hex): Hex {
  return unpackDelegatedSignature(signature)?.proof ?? signature;
}
