// x402 v2's `exact` payment on EVM (PAYMENT-SIGNATURE) and its settlement (PAYMENT-RESPONSE), as x402's own
// clients and facilitators write them: the payload is an EIP-3009 authorization and its signature.
import type { Hash, Hex } from "viem";
import { decodeBase64Json, encodeBase64Json } from "./base64Json.ts";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { HeaderReader } from "./paymentHeaders.ts";
import { isJsonObject } from "./readJsonBody.ts";
import type { TransferAuthorization } from "./transferWithAuthorizationTypedData.ts";
import { parseAddress, parseSignature, parseUint } from "./wire.ts";
import { exactScheme, type X402RequirementJson, x402Version } from "./x402Requirements.ts";

/**
 * x402's reason codes (its specification and `@x402/evm`'s facilitator) for an `exact` payment refused: in the
 * `error` of the PAYMENT-REQUIRED header answering it, or the `errorReason` of a failed PAYMENT-RESPONSE.
 */
export const x402ErrorReasons = {
  /** The PAYMENT-SIGNATURE header is not an x402 v2 payload. */
  invalidPayload: "invalid_payload",
  invalidVersion: "invalid_x402_version",
  /** `accepted` is none of the 402's entries (another amount, asset, payee, scheme). */
  noMatchingRequirements: "No matching payment requirements",
  networkMismatch: "invalid_exact_evm_network_mismatch",
  recipientMismatch: "invalid_exact_evm_recipient_mismatch",
  valueMismatch: "invalid_exact_evm_payload_authorization_value_mismatch",
  validAfter: "invalid_exact_evm_payload_authorization_valid_after",
  validBefore: "invalid_exact_evm_payload_authorization_valid_before",
  signature: "invalid_exact_evm_signature",
  nonceUsed: "invalid_exact_evm_nonce_already_used",
  insufficientFunds: "insufficient_funds",
  transactionFailed: "invalid_exact_evm_transaction_failed",
  unexpectedSettle: "unexpected_settle_error",
} as const;

export type X402ErrorReason = (typeof x402ErrorReasons)[keyof typeof x402ErrorReasons];

/** An `exact` payment as the request carries it. */
export type ExactPayment = {
  /** The entry the client chose, as it says it (compared with ours before anything else). */
  accepted: X402RequirementJson;
  authorization: TransferAuthorization;
  signature: Hex;
};

const header = headerNames.paymentSignature;

function fail(reason: string): never {
  throw new MalformedHeaderError({ header, reason });
}

function field(value: object, name: string): unknown {
  return Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined;
}

function parsed<T>(value: object, label: string, name: string, parse: (field: string) => T): T {
  const found = field(value, name);
  if (typeof found !== "string") fail(`${label}${name} must be a string`);
  try {
    return parse(found);
  } catch (error) {
    if (error instanceof MalformedHeaderError) fail(`${label}${name} ${error.reason}`);
    throw error;
  }
}

function requirement(value: unknown): X402RequirementJson {
  if (!isJsonObject(value)) fail("accepted must be an object");
  const text = (name: string) => parsed(value, "accepted.", name, (v) => v);
  const maxTimeoutSeconds = field(value, "maxTimeoutSeconds");
  if (typeof maxTimeoutSeconds !== "number" || !Number.isSafeInteger(maxTimeoutSeconds)) {
    fail("accepted.maxTimeoutSeconds must be an integer");
  }
  const extra = field(value, "extra") ?? {};
  if (!isJsonObject(extra)) fail("accepted.extra must be an object");
  return {
    scheme: text("scheme"),
    network: text("network"),
    amount: text("amount"),
    asset: text("asset"),
    payTo: text("payTo"),
    maxTimeoutSeconds,
    extra: Object.fromEntries(Object.entries(extra)),
  };
}

/**
 * The `exact` payment of a request's PAYMENT-SIGNATURE header; undefined when there is none. Throws
 * MalformedHeaderError when it is not an x402 v2 `exact` EIP-3009 payload (a Permit2 one included: not taken here).
 *
 * @example
 * import { decodeExactPayment } from "@micro-raiden/web-client/protocol";
 * const payment = decodeExactPayment(request.headers); // { accepted, authorization, signature } | undefined
 */
export function decodeExactPayment(headers: HeaderReader): ExactPayment | undefined {
  const value = headers.get(header);
  if (value === null) return undefined;
  const json = decodeBase64Json(header, value);
  if (!isJsonObject(json)) fail("must be a JSON object");
  if (field(json, "x402Version") !== x402Version) fail(`x402Version must be ${x402Version}`);
  const accepted = requirement(field(json, "accepted"));
  if (accepted.scheme !== exactScheme) fail(`accepted.scheme must be "${exactScheme}"`);
  const payload = field(json, "payload");
  if (!isJsonObject(payload)) fail("payload must be an object");
  const authorization = field(payload, "authorization");
  if (!isJsonObject(authorization)) fail("payload.authorization must be an object (an EIP-3009 payment)");
  const label = "payload.authorization.";
  const nonce = parsed(authorization, label, "nonce", (v) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(v)) fail(`${label}nonce must be 32 bytes of hex`);
    return `0x${v.slice(2).toLowerCase()}` as Hash;
  });
  return {
    accepted,
    authorization: {
      from: parsed(authorization, label, "from", (v) => parseAddress(header, v)),
      to: parsed(authorization, label, "to", (v) => parseAddress(header, v)),
      value: parsed(authorization, label, "value", (v) => parseUint(header, v)),
      validAfter: parsed(authorization, label, "validAfter", (v) => parseUint(header, v)),
      validBefore: parsed(authorization, label, "validBefore", (v) => parseUint(header, v)),
      nonce,
    },
    signature: parsed(payload, "payload.", "signature", (v) => parseSignature(header, v)),
  };
}

/** x402's SettleResponse: the PAYMENT-RESPONSE header's JSON. */
export type X402SettleResponse = {
  success: boolean;
  errorReason?: string | undefined;
  errorMessage?: string | undefined;
  payer?: string | undefined;
  /** The settling transaction's hash; "" when none was sent. */
  transaction: string;
  network: string;
};

/**
 * The PAYMENT-RESPONSE header of a paid answer (or a failed settlement's 402).
 *
 * @example
 * import { encodeX402SettleResponseHeader } from "@micro-raiden/web-client/protocol";
 * c.header("PAYMENT-RESPONSE", encodeX402SettleResponseHeader({ success: true, transaction, network, payer })["PAYMENT-RESPONSE"]);
 */
export function encodeX402SettleResponseHeader(response: X402SettleResponse): Record<string, string> {
  const json = Object.fromEntries(Object.entries(response).filter(([, v]) => v !== undefined));
  return { [headerNames.paymentResponse]: encodeBase64Json(json) };
}
