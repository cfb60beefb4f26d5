import type { Address } from "viem";
import { type DomainParameters, getDomain } from "./typedData.ts";

/**
 * EIP-712 `OpenAuthorization`: what a sender signs so that someone else (the receiver, sponsoring the gas) can open
 * a channel in its name with the manager's `openOnBehalf`. It names everything the open does — receiver, deposit,
 * delegated signer — so it cannot be re-targeted; `nonce` (the manager's `openingNonces(sender)`) makes it usable
 * once, `deadline` (unix seconds, also the permit's) bounds how long it can wait, and the manager's domain pins it to
 * one contract on one chain.
 */
export const openAuthorizationTypes = {
  OpenAuthorization: [
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "deposit", type: "uint256" },
    { name: "signer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The fields of an open authorization. `signer` is the channel's delegated session key, or the zero address. */
export type OpenAuthorization = {
  sender: Address;
  receiver: Address;
  deposit: bigint;
  signer: Address;
  nonce: bigint;
  deadline: bigint;
};

/**
 * The typed data of an open authorization, for viem's `signTypedData` or `verifyTypedData`.
 *
 * @example
 * import { openAuthorizationTypedData } from "@micro-raiden/web-client/protocol";
 * const authorizationSignature = await account.signTypedData(
 *   openAuthorizationTypedData({ chainId, contract }, { sender, receiver, deposit, signer, nonce: 0n, deadline }),
 * );
 */
export function openAuthorizationTypedData(domain: DomainParameters, message: OpenAuthorization) {
  return {
    domain: getDomain(domain),
    types: openAuthorizationTypes,
    primaryType: "OpenAuthorization",
    message,
  } as const;
}
