import {
  type Address,
  BaseError,
  CallExecutionError,
  ContractFunctionExecutionError,
  ExecutionRevertedError,
  type ReadContractErrorType,
  zeroAddress,
} from "viem";
import { readContract } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { demoTokenAbi } from "../protocol/index.ts";

/** How a deposit reaches the manager: EIP-2612 permit + one transaction, ERC-1363 transferAndCall, or approve + call. */
export type DepositMethod = "permit" | "erc1363" | "approve";

export type DetectDepositMethodParameters = { token: Address };
export type DetectDepositMethodReturnType = DepositMethod;
/** A probe that got no answer from the token: the RPC failed (network, timeout, rate limit, node error). */
export type DetectDepositMethodErrorType = ReadContractErrorType | ErrorType;

const erc1363InterfaceId = "0xb0202a11";

/**
 * The cheapest way in the token supports, probed with view calls (no prompt, no account needed).
 *
 * Only the token's own answer rules a way out: a probe whose call reverted, or returned what is not that function's
 * result. A probe that got no answer (the RPC failed: network, timeout, rate limit) rejects with that error instead,
 * so a caller that caches the method never keeps "approve" — two prompts, no sponsored open — for a permit token.
 *
 * @example
 * import { detectDepositMethod } from "@micro-raiden/web-client";
 * const method = await detectDepositMethod(client, { token }); // "permit" | "erc1363" | "approve"
 */
export async function detectDepositMethod(
  client: ChannelClient,
  { token }: DetectDepositMethodParameters,
): Promise<DetectDepositMethodReturnType> {
  const permitProbes = await Promise.allSettled([
    readContract(client.publicClient, {
      address: token,
      abi: demoTokenAbi,
      functionName: "nonces",
      args: [zeroAddress],
    }),
    readContract(client.publicClient, { address: token, abi: demoTokenAbi, functionName: "eip712Domain" }),
  ]);
  const failures = permitProbes.flatMap((probe) => (probe.status === "rejected" ? [probe.reason] : []));
  const unanswered = failures.find((error) => !tokenAnswered(error));
  if (unanswered !== undefined) throw unanswered;
  if (failures.length === 0) return "permit";
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

/**
 * Whether a failed read is the token's own answer: its code reverted (the EVM ran it: the function is missing and
 * there is no fallback), or the call returned and what came back does not decode as the function's result (no code,
 * a fallback returning nothing or something else). Anything else — HTTP errors, timeouts, rate limits, a node's
 * internal error — says nothing about the token.
 */
function tokenAnswered(error: unknown): boolean {
  if (!(error instanceof ContractFunctionExecutionError)) return false;
  if (error.walk((cause) => cause instanceof ExecutionRevertedError || revertInData(cause))) return true;
  // No failed call in the chain: the call returned, and decoding its result failed.
  return error.walk((cause) => cause instanceof CallExecutionError) === null;
}

/** A wallet's provider may wrap the node's revert (JSON-RPC code 3) in its own error's `data`. */
function revertInData(cause: unknown): boolean {
  if (!(cause instanceof BaseError) || !("data" in cause)) return false;
  const { data } = cause;
  return typeof data === "object" && data !== null && "code" in data && data.code === 3;
}
