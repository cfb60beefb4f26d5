import { BaseError } from "../protocol/BaseError.ts";
import type { PaymentFailure } from "../protocol/index.ts";

/**
 * The receiver kept refusing the payment (after waiting for confirmations or resynchronizing as allowed).
 *
 * @example
 * import { PaymentRefusedError } from "@micro-raiden/web-client";
 * if (error instanceof PaymentRefusedError) console.log(error.failure?.code);
 */
export class PaymentRefusedError extends BaseError {
  override name = "PaymentRefusedError" as const;
  readonly failure: PaymentFailure | undefined;
  readonly status: number;
  constructor({
    failure,
    status,
    url,
    message,
    cause,
  }: { failure?: PaymentFailure; status: number; url: string; message?: string; cause?: unknown }) {
    super(`${url} refused the payment (${failure?.code ?? `HTTP ${status}`}).`, { details: message, cause });
    this.failure = failure;
    this.status = status;
  }
}

export type PaymentRefusedErrorType = PaymentRefusedError & { name: "PaymentRefusedError" };
