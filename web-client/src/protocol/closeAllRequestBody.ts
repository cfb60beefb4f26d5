// The body of the operator's POST <gateway>/close-all.
import { readJsonBody } from "./readJsonBody.ts";

/** The close-all command takes no parameters. */
export type CloseAllRequestBody = Record<string, never>;

/**
 * The JSON of a close-all command: `{}`.
 *
 * @example
 * import { encodeCloseAllRequestBody } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeCloseAllRequestBody());
 */
export function encodeCloseAllRequestBody(): CloseAllRequestBody {
  return {};
}

/**
 * Validates a close-all command: an empty body (pass `undefined`) or `{}`; anything else is refused with
 * MalformedBodyError, so a command meant for another endpoint never closes every channel.
 *
 * @example
 * import { decodeCloseAllRequestBody } from "@micro-raiden/web-client/protocol";
 * const text = await request.text();
 * decodeCloseAllRequestBody(text === "" ? undefined : JSON.parse(text));
 */
export function decodeCloseAllRequestBody(json: unknown): CloseAllRequestBody {
  if (json !== undefined) readJsonBody(json, []);
  return {};
}
