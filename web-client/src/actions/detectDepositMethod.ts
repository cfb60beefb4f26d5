import { type Address, zeroAddress } from "viem";
import { readContract } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { demoTokenAbi } from "../protocol/index.ts";

/** How a deposit reaches the manager: EIP-2612 permit + one transaction, ERC-1363 transferAndCall, or approve + call. */
export type DepositMethod = "permit" | "erc1363" | "approve";

export type DetectDepositMethodParameters = { token: Address };
export type DetectDepositMethodReturnType = DepositMethod;
export type DetectDepositMethodErrorType = never;

const erc1363InterfaceId = "0xb0202a11";

/**
 * The cheapest way in the token supports, probed with view calls (no prompt, no account needed).
 *
 * @example
 * import { detectDepositMethod } from "@micro-raiden/web-client";
 * const method = await detectDepositMethod(client, { token }); // "permit" | "erc1363" | "approve"
 */
export async function detectDepositMethod(
  client: ChannelClient,
  { token }: DetectDepositMethodParameters,
): Promise<DetectDepositMethodReturnType> {
  const supportsPermit = await Promise.all([
    readContract(client.publicClient, {
      address: token,
      abi: demoTokenAbi,
      functionName: "nonces",
      args: [zeroAddress],
    }),
    readContract(client.publicClient, { address: token, abi: demoTokenAbi, functionName: "eip712Domain" }),
  ]).then(
    () => true,
    () => false,
  );
  if (supportsPermit) return "permit";
  const supports1363 = await readContract(client.publicClient, {
    address: token,
    abi: demoTokenAbi,
    functionName: "supportsInterface",
    args: [erc1363InterfaceId],
  }).catch(() => false);
  return supports1363 ? "erc1363" : "approve";
}
