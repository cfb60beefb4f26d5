import type { Address } from "viem";
import { BaseError } from "../protocol/BaseError.ts";

/**
 * Paying would take the total paid to a receiver past the spending policy's budget. Nothing was signed.
 *
 * @example
 * import { BudgetExceededError } from "@micro-raiden/web-client";
 * if (error instanceof BudgetExceededError) console.log(`spent ${error.spent} of ${error.budget}`);
 */
export class BudgetExceededError extends BaseError {
  override name = "BudgetExceededError" as const;
  readonly receiver: Address;
  readonly budget: bigint;
  readonly spent: bigint;
  readonly price: bigint;
  constructor(parameters: { receiver: Address; budget: bigint; spent: bigint; price: bigint }) {
    super(
      `Paying ${parameters.price} to ${parameters.receiver} would exceed its budget of ${parameters.budget} (${parameters.spent} spent).`,
    );
    this.receiver = parameters.receiver;
    this.budget = parameters.budget;
    this.spent = parameters.spent;
    this.price = parameters.price;
  }
}

export type BudgetExceededErrorType = BudgetExceededError & { name: "BudgetExceededError" };
