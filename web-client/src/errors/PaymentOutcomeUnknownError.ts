import { BaseError } from "../protocol/BaseError.ts";
import type { Payment } from "../protocol/index.ts";

/**
 * A paid request got no HTTP answer, however often it was retried with the same payment: the receiver may have
 * taken the payment or not. Nothing was recorded; the next payment resynchronizes from the receiver's echo.
 *
 * @example
 * import { PaymentOutcomeUnknownError } from "@micro-raiden/web-client";
 * if (error instanceof PaymentOutcomeUnknownError) console.log(`no answer after ${error.attempts} attempts`);
 */
export class PaymentOutcomeUnknownError extends BaseError {
  override name = "PaymentOutcomeUnknownError" as const;
  readonly url: string;
  /** The payment sent with every attempt (the same proof each time). */
  readonly payment: Payment;
  readonly attempts: number;
  constructor({ url, payment, attempts, cause }: { url: string; payment: Payment; attempts: number; cause: unknown }) {
    super(`${url} gave no answer to a payment of balance ${payment.balance} after ${attempts} attempt(s).`, {
      cause,
      metaMessages: ["The receiver may have taken it: the next payment learns the channel's balance from its answer."],
    });
    this.url = url;
    this.payment = payment;
    this.attempts = attempts;
  }
}

export type PaymentOutcomeUnknownErrorType = PaymentOutcomeUnknownError & { name: "PaymentOutcomeUnknownError" };
