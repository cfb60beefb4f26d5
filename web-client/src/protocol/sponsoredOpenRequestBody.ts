// The body of POST <gateway>/sponsored-open: a sender asks the receiver to open its channel and pay the gas.
import type { Address, Hex } from "viem";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/**
 * A sponsored-open request, typed: the sender's `OpenAuthorization` fields and signature
 * (`openAuthorizationTypedData`) and its EIP-2612 permit for `deposit` to `contract` with the same `deadline`.
 */
export type SponsoredOpenRequestBody = {
  /** The channel manager (`RDN-Contract-Address`): the authorization's domain and the permit's spender. */
  contract: Address;
  /** The token of the deposit (`RDN-Token-Address`); a receiver sponsors only its own. */
  token: Address;
  sender: Address;
  receiver: Address;
  /** Tokens to deposit, in base units. */
  deposit: bigint;
  /** The channel's delegated session key, or the zero address. */
  signer: Address;
  /** The sender's next opening nonce (the manager's `openingNonces(sender)`). */
  nonce: bigint;
  /** Unix seconds after which neither the authorization nor the permit is valid. */
  deadline: bigint;
  /** The sender's `OpenAuthorization` signature. */
  authorizationSignature: Hex;
  /** The sender's EIP-2612 permit signature (owner sender, spender contract, value deposit, deadline). */
  permitSignature: Hex;
};

/** The request as it travels: decimal strings, checksummed addresses and hex signatures. */
export type SponsoredOpenRequestJson = {
  contract_address: Address;
  token_address: Address;
  sender_address: Address;
  receiver_address: Address;
  deposit: string;
  signer_address: Address;
  nonce: string;
  deadline: string;
  authorization_signature: Hex;
  permit_signature: Hex;
};

const fields = [
  "contract_address",
  "token_address",
  "sender_address",
  "receiver_address",
  "deposit",
  "signer_address",
  "nonce",
  "deadline",
  "authorization_signature",
  "permit_signature",
] as const;

/**
 * The JSON of a sponsored-open request (pass it to `JSON.stringify`).
 *
 * @example
 * import { encodeSponsoredOpenRequestBody } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeSponsoredOpenRequestBody(request));
 */
export function encodeSponsoredOpenRequestBody(body: SponsoredOpenRequestBody): SponsoredOpenRequestJson {
  return {
    contract_address: body.contract,
    token_address: body.token,
    sender_address: body.sender,
    receiver_address: body.receiver,
    deposit: body.deposit.toString(),
    signer_address: body.signer,
    nonce: body.nonce.toString(),
    deadline: body.deadline.toString(),
    authorization_signature: body.authorizationSignature,
    permit_signature: body.permitSignature,
  };
}

/**
 * Validates a parsed sponsored-open request: exactly its ten fields, amounts and the nonce as decimal strings (a
 * JSON number is refused), the deadline at most 2^64 − 1, addresses all-lowercase or checksummed (returned
 * checksummed), signatures of 65 bytes with a low s. Throws MalformedBodyError otherwise. Whether the signatures
 * are the sender's is the receiver's next check.
 *
 * @example
 * import { decodeSponsoredOpenRequestBody } from "@micro-raiden/web-client/protocol";
 * const request = decodeSponsoredOpenRequestBody(await c.req.json());
 */
export function decodeSponsoredOpenRequestBody(json: unknown): SponsoredOpenRequestBody {
  const body = readJsonBody(json, fields);
  return {
    contract: body.address("contract_address"),
    token: body.address("token_address"),
    sender: body.address("sender_address"),
    receiver: body.address("receiver_address"),
    deposit: body.uint("deposit"),
    signer: body.address("signer_address"),
    nonce: body.uint("nonce"),
    deadline: body.uint("deadline", maxUint64),
    authorizationSignature: body.signature("authorization_signature"),
    permitSignature: body.signature("permit_signature"),
  };
}
