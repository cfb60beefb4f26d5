import type { ErrorType } from "./ErrorType.ts";

/**
 * What the client's `fetch` rejects with: a TypeError when no HTTP answer came at all (network, CORS, a dropped
 * connection), and the signal's reason when the caller aborted (an AbortError unless the caller gave another).
 *
 * @example
 * import type { ErrorType } from "../errors/ErrorType.ts";
 * import type { FetchErrorType } from "../errors/FetchErrorType.ts";
 * import type { ReceiverApiErrorType } from "../errors/ReceiverApiError.ts";
 * export type RequestClosingSignatureErrorType = ReceiverApiErrorType | FetchErrorType | ErrorType;
 */
export type FetchErrorType = ErrorType<"TypeError"> | ErrorType<"AbortError">;
