import { ContractFunctionRevertedError, UserRejectedRequestError, BaseError as ViemBaseError } from "viem";
import { ChannelManagerRevertError } from "../errors/ChannelManagerRevertError.ts";

/**
 * Turns a failed contract call into the error a caller can act on: a wallet rejection stays viem's
 * UserRejectedRequestError, a custom-error revert becomes ChannelManagerRevertError (original as cause), anything
 * else is returned unchanged.
 */
export function mapContractError(error: unknown): unknown {
  if (!(error instanceof ViemBaseError)) return error;
  const rejected = error.walk((e) => e instanceof UserRejectedRequestError);
  if (rejected instanceof UserRejectedRequestError) return rejected;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
    return new ChannelManagerRevertError({
      errorName: reverted.data.errorName,
      args: reverted.data.args ?? [],
      cause: error,
    });
  }
  return error;
}
