// The answer to a cooperative close request: the receiver's ClosingAgreement signature.
import type { Hex } from "viem";
import { readJsonBody } from "./readJsonBody.ts";

/** The receiver's answer to a close request, typed. */
export type CloseResponseBody = {
  /** The receiver's ClosingAgreement for the requested balance. */
  closeSignature: Hex;
};

/** The answer as it travels. */
export type CloseResponseJson = { close_signature: Hex };

/**
 * The JSON of a close answer.
 *
 * @example
 * import { encodeCloseResponseBody } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeCloseResponseBody({ closeSignature }));
 */
export function encodeCloseResponseBody(body: CloseResponseBody): CloseResponseJson {
  return { close_signature: body.closeSignature };
}

/**
 * Validates a parsed close answer (a 65-byte low-s signature; other fields are ignored, for newer receivers).
 * Throws MalformedBodyError otherwise. Whether it is the receiver's signature is `verifyClosingSignature`'s job.
 *
 * @example
 * import { decodeCloseResponseBody } from "@micro-raiden/web-client/protocol";
 * const { closeSignature } = decodeCloseResponseBody(await response.json());
 */
export function decodeCloseResponseBody(json: unknown): CloseResponseBody {
  return { closeSignature: readJsonBody(json).signature("close_signature") };
}
