// The body of DELETE <gateway>/channels/<sender>/<openBlock>: a sender asks the receiver for its closing agreement.
import type { Hex } from "viem";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/** A cooperative close request, typed: the balance to close at, its proof, and the signed request with its deadline. */
export type CloseRequestBody = {
  /** The channel's balance to close at, in token base units. */
  balance: bigint;
  /** The sender's (or session key's) BalanceProof for `balance`. */
  balanceSignature: Hex;
  /** Unix seconds until which the request is valid. */
  deadline: bigint;
  /** The sender's (or session key's) CloseRequest over the channel, `balance` and `deadline`. */
  closeRequestSignature: Hex;
};

/** The close request as it travels: decimal strings and hex. */
export type CloseRequestJson = {
  balance: string;
  balance_signature: Hex;
  deadline: string;
  close_request_signature: Hex;
};

const fields = ["balance", "balance_signature", "deadline", "close_request_signature"] as const;

/**
 * The JSON of a close request (pass it to `JSON.stringify`).
 *
 * @example
 * import { encodeCloseRequestBody } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeCloseRequestBody({ balance, balanceSignature, deadline, closeRequestSignature }));
 */
export function encodeCloseRequestBody(body: CloseRequestBody): CloseRequestJson {
  return {
    balance: body.balance.toString(),
    balance_signature: body.balanceSignature,
    deadline: body.deadline.toString(),
    close_request_signature: body.closeRequestSignature,
  };
}

/**
 * Validates a parsed close request: exactly its four fields, amounts as decimal strings (a JSON number is refused),
 * signatures of 65 bytes with a low s. Throws MalformedBodyError otherwise.
 *
 * @example
 * import { decodeCloseRequestBody } from "@micro-raiden/web-client/protocol";
 * const { balance, balanceSignature, deadline, closeRequestSignature } = decodeCloseRequestBody(await request.json());
 */
export function decodeCloseRequestBody(json: unknown): CloseRequestBody {
  const body = readJsonBody(json, fields);
  return {
    balance: body.uint("balance"),
    balanceSignature: body.signature("balance_signature"),
    deadline: body.uint("deadline", maxUint64),
    closeRequestSignature: body.signature("close_request_signature"),
  };
}
