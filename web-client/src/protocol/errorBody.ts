// The JSON body of every 4xx answer of a receiver: `{ "error": { "code": "...", "message": "..." } }`.
import { type ErrorCode, isErrorCode } from "./errorCodes.ts";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { isJsonObject, readJsonBody } from "./readJsonBody.ts";

/** The JSON body of every 4xx response: one code and one human-readable message. */
export type ErrorBody = { error: { code: ErrorCode; message: string } };

/**
 * The error body for `code`.
 *
 * @example
 * import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeErrorBody("not_found", "No such channel."), { status: 404 });
 */
export function encodeErrorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/**
 * Validates a parsed error body: `error.code` one of the protocol's codes, `error.message` a string. Throws
 * MalformedBodyError otherwise (a proxy's or framework's own error page, for instance).
 *
 * @example
 * import { decodeErrorBody } from "@micro-raiden/web-client/protocol";
 * const { error } = decodeErrorBody(await response.json());
 */
export function decodeErrorBody(json: unknown): ErrorBody {
  const outer = readJsonBody(json);
  if (!outer.has("error")) throw new MalformedBodyError({ field: "error", reason: "is missing" });
  const inner: unknown = Reflect.get(json as object, "error");
  if (!isJsonObject(inner)) throw new MalformedBodyError({ field: "error", reason: "must be a JSON object" });
  const error = readJsonBody(inner);
  const code = error.string("code");
  if (!isErrorCode(code)) throw new MalformedBodyError({ field: "error.code", reason: "is not a known error code" });
  return { error: { code, message: error.string("message") } };
}

/**
 * Whether a parsed body is an error body with `code`: for a client that acts on one code only, such as the payment
 * worker retrying `store_unavailable`. It asks nothing of the rest of the body, so it leaves out the table of every
 * code that {@link decodeErrorBody} checks against (a Service Worker's bytes).
 *
 * @example
 * import { hasErrorCode } from "@micro-raiden/web-client/protocol";
 * if (response.status === 503 && hasErrorCode(await response.json(), "store_unavailable")) retryLater();
 */
export function hasErrorCode(json: unknown, code: ErrorCode): boolean {
  const error: unknown = isJsonObject(json) ? Reflect.get(json, "error") : undefined;
  return isJsonObject(error) && Reflect.get(error, "code") === code;
}
