import { parseAbi } from "viem";
import { type ReceiveWithAuthorization, receiveWithAuthorizationTypes } from "./receiveWithAuthorizationTypedData.ts";
import type { TokenDomain } from "./tokenDomain.ts";

/**
 * EIP-3009 `TransferWithAuthorization`: what a token holder signs so that anyone may move `value` of its tokens to
 * `to` once — what x402's `exact` scheme pays with. The same fields as `ReceiveWithAuthorization` (one nonce space in
 * the token: `authorizationState(from, nonce)`), but anyone may submit it, not only the payee.
 */
export const transferWithAuthorizationTypes = {
  TransferWithAuthorization: receiveWithAuthorizationTypes.ReceiveWithAuthorization,
} as const;

/** The fields of a transfer authorization: those of a receive authorization. */
export type TransferAuthorization = ReceiveWithAuthorization;

/**
 * What settling a transfer authorization needs of an EIP-3009 token beside `eip3009TokenAbi`: the transfer itself,
 * and the domain separator USDC's FiatToken exposes instead of ERC-5267 (to check a domain read from `name()` and
 * `version()` before x402 clients are told to sign in it).
 */
export const transferWithAuthorizationAbi = parseAbi([
  "function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
]);

/**
 * The typed data of an EIP-3009 transfer authorization, for viem's `signTypedData` or `recoverTypedDataAddress`, in
 * the token's domain (`readTokenDomain`; USDC's is `{ name: "USD Coin", version: "2", chainId, verifyingContract }`).
 *
 * @example
 * import { readTokenDomain, transferWithAuthorizationTypedData } from "@micro-raiden/web-client/protocol";
 * const signature = await account.signTypedData(
 *   transferWithAuthorizationTypedData(await readTokenDomain(publicClient, usdc), {
 *     from: account.address, to: receiver, value: 10_000n, validAfter: 0n, validBefore, nonce,
 *   }),
 * );
 */
export function transferWithAuthorizationTypedData(domain: TokenDomain, message: TransferAuthorization) {
  return {
    domain,
    types: transferWithAuthorizationTypes,
    primaryType: "TransferWithAuthorization",
    message,
  } as const;
}
