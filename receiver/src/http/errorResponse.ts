import type { ErrorBody, ErrorCode } from "@micro-raiden/web-client/protocol";

/** The JSON body every 4xx carries: one code, one message (see the protocol's error codes). */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}
