import { type Address, getAddress, type Hex, hashStruct } from "viem";
import { receiveWithAuthorizationTypedData } from "./receiveWithAuthorizationTypedData.ts";
import type { TokenDomain } from "./tokenDomain.ts";
import type { DomainParameters } from "./typedData.ts";

/**
 * The terms a one-signature open binds (the manager's `openByReceiveAuthorization`): their EIP-712 struct hash, with the
 * manager and its chain, is the 32-byte nonce of the sender's EIP-3009 `ReceiveWithAuthorization`. The manager
 * recomputes it from the call's arguments (a contract test checks it marks this very nonce used). The token accepts
 * the signature only with that nonce, so the signature opens this channel — this receiver, deposit and session key,
 * before `validBefore` — or nothing; and the token marks the nonce used, so it opens once.
 */
export const openTermsTypes = {
  OpenTerms: [
    { name: "chainId", type: "uint256" },
    { name: "manager", type: "address" },
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "deposit", type: "uint256" },
    { name: "signer", type: "address" },
    { name: "validBefore", type: "uint256" },
  ],
} as const;

/** A one-signature open's terms. `signer` is the channel's delegated session key, or the zero address. */
export type OpenTerms = {
  sender: Address;
  receiver: Address;
  deposit: bigint;
  signer: Address;
  /** Unix seconds: the authorization is valid strictly before it. */
  validBefore: bigint;
};

/**
 * The EIP-3009 nonce of an open's terms, as the manager computes it.
 *
 * @example
 * import { openTermsNonce } from "@micro-raiden/web-client/protocol";
 * const nonce = openTermsNonce({ chainId, contract }, { sender, receiver, deposit, signer, validBefore });
 */
export function openTermsNonce({ chainId, contract }: DomainParameters, terms: OpenTerms): Hex {
  return hashStruct({
    types: openTermsTypes,
    primaryType: "OpenTerms",
    data: { chainId: BigInt(chainId), manager: contract, ...terms },
  });
}

/**
 * The typed data a sender signs to open a channel with one signature: a `ReceiveWithAuthorization` of `deposit`
 * tokens to the manager, valid until `validBefore`, whose nonce is `openTermsNonce` of the terms. `tokenDomain` is the
 * token's (`readTokenDomain`), `manager` the channel manager's chain and address.
 *
 * @example
 * import { openByReceiveAuthorizationTypedData, readTokenDomain } from "@micro-raiden/web-client/protocol";
 * const signature = await account.signTypedData(
 *   openByReceiveAuthorizationTypedData(await readTokenDomain(publicClient, token), { chainId, contract }, terms),
 * );
 */
export function openByReceiveAuthorizationTypedData(
  tokenDomain: TokenDomain,
  manager: DomainParameters,
  terms: OpenTerms,
) {
  return receiveWithAuthorizationTypedData(tokenDomain, {
    from: terms.sender,
    to: getAddress(manager.contract),
    value: terms.deposit,
    validAfter: 0n,
    validBefore: terms.validBefore,
    nonce: openTermsNonce(manager, terms),
  });
}
