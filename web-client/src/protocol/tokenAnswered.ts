import { BaseError, CallExecutionError, ContractFunctionExecutionError, ExecutionRevertedError } from "viem";

/**
 * Whether a failed read is the token's own answer: its code reverted (the EVM ran it: the function is missing and
 * there is no fallback), or the call returned and what came back does not decode as the function's result (no code,
 * a fallback returning nothing or something else). Anything else — HTTP errors, timeouts, rate limits, a node's
 * internal error — says nothing about the token.
 */
export function tokenAnswered(error: unknown): boolean {
  if (!(error instanceof ContractFunctionExecutionError)) return false;
  if (error.walk((cause) => cause instanceof ExecutionRevertedError || revertInData(cause))) return true;
  // No failed call in the chain: the call returned, and decoding its result failed.
  return error.walk((cause) => cause instanceof CallExecutionError) === null;
}

/**
 * EIP-1474's code 3, "execution reverted", as a wallet passes the node's answer on: the provider's own error (MetaMask,
 * the test wallet: `{ code: 3, data: "0x…" }`, which viem wraps as an unknown RPC error), or in a viem error's `data`.
 */
function revertInData(cause: unknown): boolean {
  if (typeof cause !== "object" || cause === null) return false;
  if ("code" in cause && cause.code === 3) return true;
  if (!(cause instanceof BaseError) || !("data" in cause)) return false;
  const { data } = cause;
  return typeof data === "object" && data !== null && "code" in data && data.code === 3;
}
