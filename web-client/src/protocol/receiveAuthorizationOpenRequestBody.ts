// The body of POST <gateway>/sponsored-open for the one-signature open: a sender asks the receiver to open its channel
// with an EIP-3009 ReceiveWithAuthorization (the manager's openByReceiveAuthorization) and pay the gas.
import type { Address, Hex } from "viem";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/**
 * A one-signature sponsored-open request, typed: the channel's terms (`OpenTerms`) and the sender's
 * `ReceiveWithAuthorization` signature over them (`openByReceiveAuthorizationTypedData`).
 */
export type ReceiveAuthorizationOpenRequestBody = {
  /** The channel manager (`RDN-Contract-Address`): the authorization's payee, part of its nonce. */
  contract: Address;
  /** The token of the deposit (`RDN-Token-Address`): the authorization's domain; a receiver sponsors only its own. */
  token: Address;
  sender: Address;
  receiver: Address;
  /** Tokens to deposit, in base units. */
  deposit: bigint;
  /** The channel's delegated session key, or the zero address. */
  signer: Address;
  /** Unix seconds: the authorization is valid strictly before it. */
  validBefore: bigint;
  /** The sender's EIP-3009 `ReceiveWithAuthorization` signature. */
  receiveAuthorizationSignature: Hex;
};

/** The request as it travels: decimal strings, checksummed addresses and a hex signature. */
export type ReceiveAuthorizationOpenRequestJson = {
  contract_address: Address;
  token_address: Address;
  sender_address: Address;
  receiver_address: Address;
  deposit: string;
  signer_address: Address;
  valid_before: string;
  receive_authorization_signature: Hex;
};

const fields = [
  "contract_address",
  "token_address",
  "sender_address",
  "receiver_address",
  "deposit",
  "signer_address",
  "valid_before",
  "receive_authorization_signature",
] as const;

/**
 * The JSON of a one-signature sponsored-open request (pass it to `JSON.stringify`).
 *
 * @example
 * import { encodeReceiveAuthorizationOpenRequestBody } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeReceiveAuthorizationOpenRequestBody(request));
 */
export function encodeReceiveAuthorizationOpenRequestBody(
  body: ReceiveAuthorizationOpenRequestBody,
): ReceiveAuthorizationOpenRequestJson {
  return {
    contract_address: body.contract,
    token_address: body.token,
    sender_address: body.sender,
    receiver_address: body.receiver,
    deposit: body.deposit.toString(),
    signer_address: body.signer,
    valid_before: body.validBefore.toString(),
    receive_authorization_signature: body.receiveAuthorizationSignature,
  };
}

/**
 * Validates a parsed one-signature sponsored-open request: exactly its eight fields, the deposit as a decimal string,
 * `valid_before` at most 2^64 − 1, addresses all-lowercase or checksummed (returned checksummed), a 65-byte signature
 * with a low s. Throws MalformedBodyError otherwise. Whether the signature is the sender's is the receiver's check.
 *
 * @example
 * import { decodeReceiveAuthorizationOpenRequestBody } from "@micro-raiden/web-client/protocol";
 * const request = decodeReceiveAuthorizationOpenRequestBody(await c.req.json());
 */
export function decodeReceiveAuthorizationOpenRequestBody(json: unknown): ReceiveAuthorizationOpenRequestBody {
  const body = readJsonBody(json, fields);
  return {
    contract: body.address("contract_address"),
    token: body.address("token_address"),
    sender: body.address("sender_address"),
    receiver: body.address("receiver_address"),
    deposit: body.uint("deposit"),
    signer: body.address("signer_address"),
    validBefore: body.uint("valid_before", maxUint64),
    receiveAuthorizationSignature: body.signature("receive_authorization_signature"),
  };
}
