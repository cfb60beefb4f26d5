import { type Address, type ReadContractErrorType, zeroAddress, zeroHash } from "viem";
import { readContract } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { demoTokenAbi, eip3009TokenAbi, type ReadTokenDomainErrorType, readTokenDomain } from "../protocol/index.ts";
import { tokenAnswered } from "../protocol/tokenAnswered.ts";

/**
 * How a deposit reaches the manager: EIP-2612 permit + one transaction, ERC-1363 transferAndCall, or approve + call.
 * "eip3009" is a permit token that also has EIP-3009's `receiveWithAuthorization` (USDC): the reader's own
 * transactions use its permit, and a sponsored open takes one signature (`openByReceiveAuthorization`) instead of two.
 */
export type DepositMethod = "eip3009" | "permit" | "erc1363" | "approve";

export type DetectDepositMethodParameters = { token: Address };
export type DetectDepositMethodReturnType = DepositMethod;
/** A probe that got no answer from the token: the RPC failed (network, timeout, rate limit, node error). */
export type DetectDepositMethodErrorType = ReadContractErrorType | ReadTokenDomainErrorType | ErrorType;

const erc1363InterfaceId = "0xb0202a11";

/**
 * The cheapest way in the token supports, probed with view calls (no prompt, no account needed): "eip3009" for a
 * permit token with EIP-3009 (its `authorizationState` answers), then "permit", "erc1363", "approve".
 *
 * Only the token's own answer rules a way out: a probe whose call reverted, or returned what is not that function's
 * result. A probe that got no answer (the RPC failed: network, timeout, rate limit) rejects with that error instead,
 * so a caller that caches the method never keeps "approve" — two prompts, no sponsored open — for a permit token.
 *
 * @example
 * import { detectDepositMethod } from "@micro-raiden/web-client";
 * const method = await detectDepositMethod(client, { token }); // "eip3009" | "permit" | "erc1363" | "approve"
 */
export async function detectDepositMethod(
  client: ChannelClient,
  { token }: DetectDepositMethodParameters,
): Promise<DetectDepositMethodReturnType> {
  // Side by side: asked one after the other, EIP-3009's probe made every permit token's paywall wait one more
  // round trip before its deposit form could be used.
  const [nonces, domain, authorizationState] = await Promise.allSettled([
    readContract(client.publicClient, {
      address: token,
      abi: demoTokenAbi,
      functionName: "nonces",
      args: [zeroAddress],
    }),
    // ERC-5267's eip712Domain(), or name() and version() (USDC has no ERC-5267).
    readTokenDomain(client.publicClient, token),
    readContract(client.publicClient, {
      address: token,
      abi: eip3009TokenAbi,
      functionName: "authorizationState",
      args: [zeroAddress, zeroHash],
    }),
  ]);
  const failures = [nonces, domain].flatMap((probe) => (probe.status === "rejected" ? [probe.reason] : []));
  const unanswered = failures.find((error) => !tokenAnswered(error));
  if (unanswered !== undefined) throw unanswered;
  if (failures.length === 0) {
    if (authorizationState.status === "rejected" && !tokenAnswered(authorizationState.reason)) {
      throw authorizationState.reason;
    }
    return authorizationState.status === "fulfilled" ? "eip3009" : "permit";
  }
  const supports1363 = await readContract(client.publicClient, {
    address: token,
    abi: demoTokenAbi,
    functionName: "supportsInterface",
    args: [erc1363InterfaceId],
  }).catch((error: unknown) => {
    // No ERC-165 at all (the call reverts, or returns nothing) is a "no" too.
    if (tokenAnswered(error)) return false;
    throw error;
  });
  return supports1363 ? "erc1363" : "approve";
}
