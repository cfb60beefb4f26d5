import { BaseError } from "../protocol/BaseError.ts";

/**
 * A channel has made as many automatic payments in the last minute as the reader allowed (`StoredChannel.autoPay`):
 * a page script paying in a loop stops here. The reader can still approve a payment (`pay`'s `approvedPrice`).
 * Nothing was signed.
 *
 * @example
 * import { PaymentRateExceededError } from "@micro-raiden/web-client";
 * if (error instanceof PaymentRateExceededError) askTheReader(error.perMinute);
 */
export class PaymentRateExceededError extends BaseError {
  override name = "PaymentRateExceededError" as const;
  readonly perMinute: number;
  constructor({ perMinute }: { perMinute: number }) {
    super(`This channel pays at most ${perMinute} times a minute without asking.`, {
      details: "The reader approves further payments one by one until the minute has passed.",
    });
    this.perMinute = perMinute;
  }
}

export type PaymentRateExceededErrorType = PaymentRateExceededError & { name: "PaymentRateExceededError" };
