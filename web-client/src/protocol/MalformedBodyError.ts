import { BaseError } from "./BaseError.ts";

/**
 * A JSON body of the receiver's REST API (or a channel path parameter) is not what the protocol says: not an
 * object, a missing or unknown field, or a value of the wrong type or form. `field` names the first bad one
 * ("(root)" for the whole body); `code` is the error code a receiver answers with (400).
 *
 * @example
 * import { decodeWithdrawRequestBody, encodeErrorBody, MalformedBodyError } from "@micro-raiden/web-client/protocol";
 * try {
 *   decodeWithdrawRequestBody(await request.json());
 * } catch (error) {
 *   if (error instanceof MalformedBodyError) return Response.json(encodeErrorBody(error.code, error.shortMessage), { status: 400 });
 *   throw error;
 * }
 */
export class MalformedBodyError extends BaseError {
  override name = "MalformedBodyError" as const;
  readonly code = "malformed_body" as const;
  readonly field: string;
  readonly reason: string;

  constructor({ field, reason, cause }: { field: string; reason: string; cause?: unknown }) {
    super(field === "(root)" ? `Malformed body: ${reason}.` : `Malformed body: ${field} ${reason}.`, { cause });
    this.field = field;
    this.reason = reason;
  }
}

export type MalformedBodyErrorType = MalformedBodyError & { name: "MalformedBodyError" };
