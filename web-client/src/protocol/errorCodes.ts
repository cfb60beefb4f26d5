import { headerNames } from "./headers.ts";

/**
 * Why a 402 refused a payment. Each reason has its own header (µRaiden's) and a code for the JSON body; a
 * response carries exactly one. The sentences for the body are {@link paymentFailureMessages}, apart: a client reads
 * the headers only, and a Service Worker should not carry the receiver's prose.
 */
export const paymentFailures = {
  insufficient_confirmations: { header: headerNames.insufficientConfirmations },
  nonexisting_channel: { header: headerNames.nonexistingChannel },
  invalid_balance_proof: { header: headerNames.invalidBalanceProof },
  invalid_amount: { header: headerNames.invalidAmount },
} as const;

export type PaymentFailureCode = keyof typeof paymentFailures;
/** The message of each payment failure's JSON body. */
export const paymentFailureMessages: Record<PaymentFailureCode, string> = {
  insufficient_confirmations: "The channel is not confirmed yet: wait for more blocks and retry.",
  nonexisting_channel: "The channel does not exist, or is closing or closed.",
  invalid_balance_proof:
    "The balance proof is not signed by the channel's sender or its delegated signer, or exceeds the deposit.",
  invalid_amount: "The new balance is not the last accepted balance plus the price.",
};

/**
 * Narrows a string to a payment failure code.
 *
 * @example
 * import { isPaymentFailureCode } from "@micro-raiden/web-client/protocol";
 * if (isPaymentFailureCode(body.error.code)) retryLater();
 */
export function isPaymentFailureCode(code: string): code is PaymentFailureCode {
  return Object.hasOwn(paymentFailures, code);
}

/**
 * Error codes of the JSON bodies of 4xx responses: the payment failures above (402), and request errors that never
 * reach payment checking (400 malformed input; `unauthorized`: 401 from every operator endpoint without the
 * operator's token, 403 for a cooperative close whose request is not the sender's; 404, 409).
 */
export const requestErrorCodes = {
  payment_required: "This resource has a price: pay it with the headers of this 402 response.",
  malformed_header: "A payment header is malformed, duplicated, oversized or missing.",
  wrong_contract: "The payment names another channel manager contract.",
  wrong_receiver: "The payment names another receiver.",
  invalid_signer_delegation:
    "The payment's signer delegation is not the channel sender's signature for the key that signed the balance proof.",
  malformed_body: "The request body is not what this endpoint expects.",
  unauthorized: "This endpoint needs the operator's credentials or the sender's signature.",
  not_found: "No such resource or channel.",
  conflict: "The channel is not in a state that allows this.",
  upstream_unavailable: "The upstream server behind the receiver did not answer (502), or not in time (504).",
  // Refusals of a sponsored open (POST <gateway>/sponsored-open): nothing was sent on chain; open it yourself.
  sponsor_limit: "Too many sponsored opens for this sender or from this address lately: retry later (429).",
  deposit_too_small: "The deposit is below the receiver's minimum for a sponsored open.",
  token_not_accepted: "The receiver sponsors opens only in its own token and channel manager.",
  authorization_expired: "The open authorization's deadline has passed, or is too far ahead.",
  invalid_authorization: "The open authorization or the permit is not signed by the sender.",
  authorization_used: "The open authorization's nonce is not the sender's next one: it was used, or skips ahead.",
  open_refused: "The channel manager would refuse this open (balance, allowance or permit); nothing was sent.",
  sponsor_unavailable: "The receiver could not send the open transaction right now (503).",
  store_unavailable:
    "The receiver's database cannot be reached right now; nothing was charged: retry (503, Retry-After).",
} as const;

export type RequestErrorCode = keyof typeof requestErrorCodes;
export type ErrorCode = PaymentFailureCode | RequestErrorCode;

/**
 * Narrows a string to an error code of the protocol.
 *
 * @example
 * import { isErrorCode } from "@micro-raiden/web-client/protocol";
 * if (isErrorCode(code)) console.log(code);
 */
export function isErrorCode(code: string): code is ErrorCode {
  return isPaymentFailureCode(code) || Object.hasOwn(requestErrorCodes, code);
}
