import {
  decodeExactPayment,
  type ExactPayment,
  encodeErrorBody,
  encodePaymentRequiredBody,
  encodePaymentResponseHeaders,
  encodeX402PaymentRequiredHeader,
  encodeX402SettleResponseHeader,
  exactRequirement,
  headerNames,
  MalformedHeaderError,
  type PaymentRequirements,
  x402ErrorReasons,
} from "@micro-raiden/web-client/protocol";
import type { Context, Next } from "hono";
import { getAddress } from "viem";
import type { Receiver } from "../Receiver.ts";
import type { ReceiverExact } from "../x402/ExactFacilitator.ts";
import { setPaidRequirements } from "./paidRequirements.ts";
import { finishesWithin, requestKey, setPaidCaching } from "./paywall.ts";

/**
 * The PAYMENT-REQUIRED header (x402 v2) of a 402 from `receiver` for `requirements`: our channel scheme, `exact` when
 * the receiver takes it, and x402's reason when a payment was refused.
 */
export function x402PaymentRequiredHeader(
  c: Context,
  receiver: Receiver,
  requirements: PaymentRequirements,
  error?: string,
): Record<string, string> {
  return encodeX402PaymentRequiredHeader({
    requirements,
    resource: { url: c.req.url },
    maxTimeoutSeconds: Math.ceil(receiver.requestTimeoutMs / 1000),
    sponsor: receiver.sponsor?.offer,
    exact: receiver.exact?.offer,
    error,
  });
}

/** The request's `exact` payment, if it carries one and the receiver takes them; a malformed one is its refusal. */
export function readExactPayment(c: Context, receiver: Receiver): ExactPayment | MalformedHeaderError | undefined {
  if (!receiver.exact) return undefined;
  try {
    return decodeExactPayment(c.req.raw.headers);
  } catch (error) {
    if (error instanceof MalformedHeaderError) return error;
    throw error;
  }
}

/**
 * `paywall()` for a request paying with x402's `exact`: the authorization is checked against this 402's own `exact`
 * entry and by the facilitator, reserved in the receiver's ledger (a replay, even concurrent, is refused), the
 * handler runs, and only a successful answer is settled — on chain, receipt awaited — before it goes out with
 * PAYMENT-RESPONSE. A refusal is a 402 with x402's reason in PAYMENT-REQUIRED and changes nothing; a handler that
 * fails settles nothing.
 */
export async function payExact(
  c: Context,
  next: Next,
  parameters: {
    receiver: Receiver;
    exact: ReceiverExact;
    requirements: PaymentRequirements;
    payment: ExactPayment | MalformedHeaderError;
    paidCacheControl: string;
  },
): Promise<Response | undefined> {
  const { receiver, exact, requirements, payment } = parameters;
  const refuse = (reason: string, message: string, extraHeaders: Record<string, string> = {}) =>
    c.json(encodePaymentRequiredBody({ price: requirements.price, message }), 402, {
      ...encodePaymentResponseHeaders({ requirements }),
      ...x402PaymentRequiredHeader(c, receiver, requirements, reason),
      ...extraHeaders,
      "cache-control": "no-store",
    });
  if (payment instanceof MalformedHeaderError) return refuse(x402ErrorReasons.invalidPayload, payment.shortMessage);

  const expected = exactRequirement(requirements, exact.offer);
  const { accepted, authorization } = payment;
  if (accepted.network !== expected.network) {
    return refuse(x402ErrorReasons.networkMismatch, `This receiver is paid on ${expected.network}.`);
  }
  const sameAddress = (a: string, b: string) => /^0x[0-9a-fA-F]{40}$/.test(a) && getAddress(a) === getAddress(b);
  if (
    accepted.scheme !== expected.scheme ||
    accepted.amount !== expected.amount ||
    !sameAddress(accepted.asset, expected.asset) ||
    !sameAddress(accepted.payTo, expected.payTo)
  ) {
    return refuse(x402ErrorReasons.noMatchingRequirements, "The payment is for other terms than this resource's.");
  }
  const verified = await exact.facilitator.verify(payment, expected);
  if (!verified.valid) return refuse(verified.reason, verified.message);

  const key = { token: requirements.token, payer: authorization.from, nonce: authorization.nonce };
  const reserved = await exact.ledger.reserve({ ...key, amount: authorization.value, request: requestKey(c) });
  if (!reserved) return refuse(x402ErrorReasons.nonceUsed, "This authorization was presented already.");

  setPaidRequirements(c, requirements, receiver.site);
  let answered: boolean;
  try {
    answered = await finishesWithin(next(), receiver.requestTimeoutMs);
  } catch (error) {
    await exact.ledger.release(key);
    throw error;
  }
  if (!answered) {
    await exact.ledger.release(key);
    c.res = undefined;
    c.res = c.json(
      encodeErrorBody(
        "upstream_unavailable",
        `The paid resource did not answer within ${receiver.requestTimeoutMs} ms; nothing was charged.`,
      ),
      504,
      { ...encodePaymentResponseHeaders({ requirements }), "cache-control": "no-store" },
    );
    return;
  }
  // Nothing delivered, nothing charged: a failed handler, or a HEAD.
  if (c.error || c.res.status >= 400 || c.req.method === "HEAD") {
    await exact.ledger.release(key);
    return;
  }

  const settled = await exact.facilitator.settle(payment, expected);
  if (!settled.success) {
    // Released only when no transaction went out: one whose outcome is unknown keeps its record (never twice).
    if (!settled.sent) await exact.ledger.release(key);
    c.res = undefined;
    c.res = refuse(
      settled.reason,
      settled.message,
      encodeX402SettleResponseHeader({
        success: false,
        errorReason: settled.reason,
        errorMessage: settled.message,
        payer: authorization.from,
        transaction: "",
        network: expected.network,
      }),
    );
    return;
  }
  await exact.ledger.settled(key, settled.transaction);
  const response = encodeX402SettleResponseHeader({
    success: true,
    payer: settled.payer,
    transaction: settled.transaction,
    network: expected.network,
  });
  c.res.headers.set(headerNames.paymentResponse, response[headerNames.paymentResponse] ?? "");
  setPaidCaching(c.res.headers, parameters.paidCacheControl);
  return;
}
