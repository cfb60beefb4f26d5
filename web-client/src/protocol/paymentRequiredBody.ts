// The JSON body of an unpaid request's 402 (a machine client's; a browser gets the HTML page instead).
import { decodeErrorBody } from "./errorBody.ts";
import { requestErrorCodes } from "./errorCodes.ts";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { readJsonBody } from "./readJsonBody.ts";

/** An unpaid request's 402 body, typed. The price is also in `RDN-Price`; the headers are what a client pays by. */
export type PaymentRequiredBody = {
  /** The price of the request, in token base units. */
  price: bigint;
  /** Human-readable, for logs and curl users. */
  message: string;
};

/** The 402 body as it travels: the error body every 4xx has, with code `payment_required`, plus the price. */
export type PaymentRequiredJson = { error: { code: "payment_required"; message: string }; price: string };

/**
 * The JSON body of an unpaid request's 402 (without `message`, the protocol's text for `payment_required`).
 *
 * @example
 * import { encodePaymentRequiredBody } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodePaymentRequiredBody({ price: 10n ** 15n }), { status: 402, headers });
 */
export function encodePaymentRequiredBody(body: { price: bigint; message?: string | undefined }): PaymentRequiredJson {
  return {
    error: { code: "payment_required", message: body.message ?? requestErrorCodes.payment_required },
    price: body.price.toString(),
  };
}

/**
 * Validates a parsed 402 body of an unpaid request: an error body with code `payment_required` and `price` a decimal
 * string (a JSON number is refused). Other fields are ignored, for newer receivers. Throws MalformedBodyError.
 *
 * @example
 * import { decodePaymentRequiredBody } from "@micro-raiden/web-client/protocol";
 * const { price } = decodePaymentRequiredBody(await response.json());
 */
export function decodePaymentRequiredBody(json: unknown): PaymentRequiredBody {
  const { error } = decodeErrorBody(json);
  if (error.code !== "payment_required") {
    throw new MalformedBodyError({ field: "error.code", reason: 'must be "payment_required"' });
  }
  return { price: readJsonBody(json).uint("price"), message: error.message };
}
