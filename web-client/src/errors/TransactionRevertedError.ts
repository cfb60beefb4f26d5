import type { Hash } from "viem";
import { BaseError } from "../protocol/BaseError.ts";

/**
 * A transaction the client sent was mined but reverted.
 *
 * @example
 * import { TransactionRevertedError } from "@micro-raiden/web-client";
 * if (error instanceof TransactionRevertedError) console.log(error.hash);
 */
export class TransactionRevertedError extends BaseError {
  override name = "TransactionRevertedError" as const;
  readonly hash: Hash;
  constructor({ hash }: { hash: Hash }) {
    super(`Transaction ${hash} reverted.`);
    this.hash = hash;
  }
}

export type TransactionRevertedErrorType = TransactionRevertedError & { name: "TransactionRevertedError" };
