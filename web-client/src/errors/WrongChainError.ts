import { BaseError } from "../protocol/BaseError.ts";

/**
 * The wallet is on another chain than the one the receiver's contract lives on, and switching failed.
 *
 * @example
 * import { WrongChainError } from "@micro-raiden/web-client";
 * if (error instanceof WrongChainError) console.log(`switch to chain ${error.expected}`);
 */
export class WrongChainError extends BaseError {
  override name = "WrongChainError" as const;
  readonly expected: number;
  readonly actual: number;
  constructor({ expected, actual, cause }: { expected: number; actual: number; cause?: unknown }) {
    super(`The wallet is on chain ${actual}, the channel manager on chain ${expected}.`, { cause });
    this.expected = expected;
    this.actual = actual;
  }
}

export type WrongChainErrorType = WrongChainError & { name: "WrongChainError" };
