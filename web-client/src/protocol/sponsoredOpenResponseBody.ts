// The answer to a sponsored open: the transaction the receiver sent and the channel's open block.
import type { Hash } from "viem";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/** The receiver's answer to a sponsored open, typed. The client checks both against the chain. */
export type SponsoredOpenResponseBody = {
  /** The mined `openOnBehalf` transaction. */
  transactionHash: Hash;
  /** The new channel's open block (its identity with sender and receiver). */
  openBlock: bigint;
};

/** The answer as it travels. */
export type SponsoredOpenResponseJson = { transaction_hash: Hash; open_block: string };

/**
 * The JSON of a sponsored-open answer.
 *
 * @example
 * import { encodeSponsoredOpenResponseBody } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeSponsoredOpenResponseBody({ transactionHash, openBlock }));
 */
export function encodeSponsoredOpenResponseBody(body: SponsoredOpenResponseBody): SponsoredOpenResponseJson {
  return { transaction_hash: body.transactionHash, open_block: body.openBlock.toString() };
}

/**
 * Validates a parsed sponsored-open answer (other fields are ignored, for newer receivers). Throws
 * MalformedBodyError otherwise. That the transaction really opened the requested channel is the client's check,
 * on its receipt.
 *
 * @example
 * import { decodeSponsoredOpenResponseBody } from "@micro-raiden/web-client/protocol";
 * const { transactionHash, openBlock } = decodeSponsoredOpenResponseBody(await response.json());
 */
export function decodeSponsoredOpenResponseBody(json: unknown): SponsoredOpenResponseBody {
  const body = readJsonBody(json);
  return { transactionHash: body.hash("transaction_hash"), openBlock: body.uint("open_block", maxUint64) };
}
