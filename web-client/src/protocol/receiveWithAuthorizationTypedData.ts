import type { Address, Hex } from "viem";
import type { TokenDomain } from "./tokenDomain.ts";

/**
 * EIP-3009 `ReceiveWithAuthorization` type: what a token holder signs so that the payee `to`, and only the payee,
 * can pull `value` tokens from `from` (USDC's `receiveWithAuthorization`). Valid strictly after `validAfter` and
 * strictly before `validBefore` (unix seconds); `nonce` is 32 bytes the token marks used.
 */
export const receiveWithAuthorizationTypes = {
  ReceiveWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

export type ReceiveWithAuthorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/**
 * The typed data of an EIP-3009 `ReceiveWithAuthorization` in the token's domain (`readTokenDomain`; USDC's is
 * `{ name: "USD Coin", version: "2", chainId, verifyingContract: token }`).
 *
 * @example
 * import { readTokenDomain, receiveWithAuthorizationTypedData } from "@micro-raiden/web-client/protocol";
 * const signature = await account.signTypedData(
 *   receiveWithAuthorizationTypedData(await readTokenDomain(publicClient, usdc), {
 *     from, to: payee, value: 10n ** 6n, validAfter: 0n, validBefore, nonce,
 *   }),
 * );
 */
export function receiveWithAuthorizationTypedData(domain: TokenDomain, message: ReceiveWithAuthorization) {
  return { domain, types: receiveWithAuthorizationTypes, primaryType: "ReceiveWithAuthorization", message } as const;
}
