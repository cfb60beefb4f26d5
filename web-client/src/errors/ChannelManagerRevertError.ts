import { BaseError } from "../protocol/BaseError.ts";

/**
 * The channel manager reverted: `errorName` and `args` are the contract's custom error (see IChannelManager.sol).
 *
 * @example
 * import { ChannelManagerRevertError } from "@micro-raiden/web-client";
 * if (error instanceof ChannelManagerRevertError && error.errorName === "ChallengePeriodNotOver") retryLater();
 */
export class ChannelManagerRevertError extends BaseError {
  override name = "ChannelManagerRevertError" as const;
  readonly errorName: string;
  readonly args: readonly unknown[];
  constructor({ errorName, args, cause }: { errorName: string; args: readonly unknown[]; cause: unknown }) {
    super(`The channel manager refused: ${errorName}(${args.map(String).join(", ")}).`, { cause });
    this.errorName = errorName;
    this.args = args;
  }
}

export type ChannelManagerRevertErrorType = ChannelManagerRevertError & { name: "ChannelManagerRevertError" };
