import { BaseError } from "./BaseError.ts";

/**
 * A header of the 402 exchange is missing, duplicated, oversized or not what the protocol says it holds.
 *
 * @example
 * import { decodePaymentHeaders, MalformedHeaderError } from "@micro-raiden/web-client/protocol";
 * try { decodePaymentHeaders(headers) } catch (error) { if (error instanceof MalformedHeaderError) console.log(error.header) }
 */
export class MalformedHeaderError extends BaseError {
  override name = "MalformedHeaderError" as const;
  readonly code = "malformed_header" as const;
  readonly header: string;
  /** What is wrong with the value, e.g. "must be an unsigned decimal integer". */
  readonly reason: string;

  constructor({ header, reason }: { header: string; reason: string }) {
    super(`Malformed ${header} header: ${reason}.`);
    this.header = header;
    this.reason = reason;
  }
}

export type MalformedHeaderErrorType = MalformedHeaderError & { name: "MalformedHeaderError" };
