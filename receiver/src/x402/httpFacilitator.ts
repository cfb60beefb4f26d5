import {
  type ExactPayment,
  type X402RequirementJson,
  x402ErrorReasons,
  x402Version,
} from "@micro-raiden/web-client/protocol";
import { getAddress, isAddress, isHash } from "viem";
import type { ExactFacilitator } from "./ExactFacilitator.ts";

export type HttpFacilitatorOptions = {
  /** The facilitator's base URL: it answers `POST <url>/verify` and `POST <url>/settle` (x402 v2's facilitator API). */
  url: string;
  /** Headers for every call (an API key's `Authorization`, say). */
  headers?: Record<string, string> | undefined;
  /** How long a settlement may take, in ms (default 60 000; verify gets a quarter of it). */
  timeoutMs?: number | undefined;
};

/** The payment payload as x402 sends it on: what the client put in its PAYMENT-SIGNATURE header. */
function paymentPayload(payment: ExactPayment) {
  const { authorization } = payment;
  return {
    x402Version,
    accepted: payment.accepted,
    payload: {
      authorization: {
        from: authorization.from,
        to: authorization.to,
        value: authorization.value.toString(),
        validAfter: authorization.validAfter.toString(),
        validBefore: authorization.validBefore.toString(),
        nonce: authorization.nonce,
      },
      signature: payment.signature,
    },
  };
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && Object.hasOwn(value, name)
    ? Reflect.get(value, name)
    : undefined;
}

const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

/**
 * An external x402 facilitator settles the receiver's `exact` payments instead of the receiver itself (its gas, its
 * keys). The receiver still checks the payment against its own 402 and records it in its ledger; the facilitator's
 * answers are read as untrusted input: a settlement counts only with a transaction hash and the payer it names.
 */
export function httpFacilitator(options: HttpFacilitatorOptions): ExactFacilitator {
  const base = options.url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 60_000;
  async function call(path: "verify" | "settle", payment: ExactPayment, requirement: X402RequirementJson, ms: number) {
    const response = await fetch(`${base}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify({ x402Version, paymentPayload: paymentPayload(payment), paymentRequirements: requirement }),
      signal: AbortSignal.timeout(ms),
    });
    const json: unknown = await response.json().catch(() => undefined);
    return { status: response.status, json };
  }
  return {
    async verify(payment, requirement) {
      try {
        const { json } = await call("verify", payment, requirement, Math.ceil(timeoutMs / 4));
        if (field(json, "isValid") === true) return { valid: true };
        return {
          valid: false,
          reason: text(field(json, "invalidReason"), x402ErrorReasons.invalidPayload),
          message: text(field(json, "invalidMessage"), "The facilitator refused the payment."),
        };
      } catch (error) {
        return { valid: false, reason: "unexpected_verify_error", message: `The facilitator did not answer: ${error}` };
      }
    },
    async settle(payment, requirement) {
      let answer: { status: number; json: unknown };
      try {
        answer = await call("settle", payment, requirement, timeoutMs);
      } catch (error) {
        // It may have settled all the same: the outcome is unknown, so the ledger keeps the authorization.
        return {
          success: false,
          sent: true,
          reason: x402ErrorReasons.unexpectedSettle,
          message: `The facilitator did not answer: ${error}`,
        };
      }
      const { json } = answer;
      const transaction = field(json, "transaction");
      const payer = field(json, "payer");
      if (field(json, "success") === true && typeof transaction === "string" && isHash(transaction)) {
        const from = typeof payer === "string" && isAddress(payer) ? getAddress(payer) : payment.authorization.from;
        if (from === payment.authorization.from) return { success: true, transaction, payer: from };
      }
      return {
        success: false,
        // A refusal with no transaction changed nothing on chain; anything else may have.
        sent: field(json, "success") !== false || text(transaction, "") !== "",
        reason: text(field(json, "errorReason"), x402ErrorReasons.unexpectedSettle),
        message: text(field(json, "errorMessage"), `The facilitator could not settle (HTTP ${answer.status}).`),
      };
    },
  };
}
