import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  type PublicClient,
} from "viem";
import type { TokenInfo } from "./Receiver.ts";

/**
 * Reads a token's `symbol()` and `decimals()` for showing prices in tokens. Both are optional in ERC-20: a token
 * without `decimals()` counts in whole units (0), one without `symbol()` is shown as "tokens". A failing RPC is not
 * a missing function, so it throws.
 *
 * @example
 * import { readTokenInfo } from "@micro-raiden/receiver";
 * const { symbol, decimals } = await readTokenInfo(publicClient, deployment.token);
 */
export async function readTokenInfo(publicClient: PublicClient, address: Address): Promise<TokenInfo> {
  const [symbol, decimals] = await Promise.all([
    optional(publicClient.readContract({ address, abi: demoTokenAbi, functionName: "symbol" })),
    optional(publicClient.readContract({ address, abi: demoTokenAbi, functionName: "decimals" })),
  ]);
  return {
    address,
    symbol: symbol?.trim() ? symbol : "tokens",
    decimals: decimals === undefined ? 0 : Number(decimals),
  };
}

/** The call's result, or undefined when the token does not have the function (it reverts or returns nothing). */
async function optional<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    const missing =
      error instanceof BaseError &&
      error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ContractFunctionZeroDataError);
    if (missing) return undefined;
    throw error;
  }
}
