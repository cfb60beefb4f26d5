// Either body of POST <gateway>/sponsored-open: the permit-based open (openOnBehalf) or the one-signature open
// (openByReceiveAuthorization). The endpoint takes both; the one-signature body is the one with
// `receive_authorization_signature`.
import {
  decodeReceiveAuthorizationOpenRequestBody,
  encodeReceiveAuthorizationOpenRequestBody,
  type ReceiveAuthorizationOpenRequestBody,
  type ReceiveAuthorizationOpenRequestJson,
} from "./receiveAuthorizationOpenRequestBody.ts";
import {
  decodeSponsoredOpenRequestBody,
  encodeSponsoredOpenRequestBody,
  type SponsoredOpenRequestBody,
  type SponsoredOpenRequestJson,
} from "./sponsoredOpenRequestBody.ts";

/** A sponsored-open request of either kind. */
export type SponsoredOpenRequest = SponsoredOpenRequestBody | ReceiveAuthorizationOpenRequestBody;

/**
 * The JSON of a sponsored-open request of either kind.
 *
 * @example
 * import { encodeSponsoredOpenRequest } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeSponsoredOpenRequest(request));
 */
export function encodeSponsoredOpenRequest(
  request: SponsoredOpenRequest,
): SponsoredOpenRequestJson | ReceiveAuthorizationOpenRequestJson {
  return "receiveAuthorizationSignature" in request
    ? encodeReceiveAuthorizationOpenRequestBody(request)
    : encodeSponsoredOpenRequestBody(request);
}

/**
 * Decodes a parsed sponsored-open body: the one-signature request when it carries `receive_authorization_signature`,
 * else the permit-based one, each strictly (MalformedBodyError naming the field at fault).
 *
 * @example
 * import { decodeSponsoredOpenRequest } from "@micro-raiden/web-client/protocol";
 * const request = decodeSponsoredOpenRequest(await c.req.json());
 * if ("receiveAuthorizationSignature" in request) { … }
 */
export function decodeSponsoredOpenRequest(json: unknown): SponsoredOpenRequest {
  const oneSignature =
    typeof json === "object" && json !== null && Object.hasOwn(json, "receive_authorization_signature");
  return oneSignature ? decodeReceiveAuthorizationOpenRequestBody(json) : decodeSponsoredOpenRequestBody(json);
}
