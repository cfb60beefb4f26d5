import { BaseError } from "../protocol/BaseError.ts";

/**
 * The receiver's REST API answered with an error, or with something that is not the protocol's answer.
 *
 * @example
 * import { ReceiverApiError } from "@micro-raiden/web-client";
 * if (error instanceof ReceiverApiError && error.code === "unauthorized") console.log(error.details);
 */
export class ReceiverApiError extends BaseError {
  override name = "ReceiverApiError" as const;
  readonly status: number;
  /** The error body's code (`unauthorized`, `not_found`…), when the answer had one. */
  readonly code: string | undefined;
  readonly url: string;
  constructor({
    status,
    code,
    message,
    url,
    cause,
  }: { status: number; code?: string | undefined; message?: string | undefined; url: string; cause?: unknown }) {
    super(`${url} answered ${status}${code ? ` (${code})` : ""}.`, { details: message, cause });
    this.status = status;
    this.code = code;
    this.url = url;
  }
}

export type ReceiverApiErrorType = ReceiverApiError & { name: "ReceiverApiError" };
