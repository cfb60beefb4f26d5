// The answer of the operator's POST <gateway>/withdraw and POST <gateway>/close-all: one entry per channel acted on.
import type { Address, Hash } from "viem";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/** What the operator did on one channel, typed. */
export type OperatorResult = {
  sender: Address;
  openBlock: bigint;
  /** The balance withdrawn up to, or closed at. */
  balance: bigint;
  /** The transaction that did it; undefined when it failed before one was sent. */
  transactionHash: Hash | undefined;
  /** Why it failed, when it did (the other channels are still acted on). */
  error?: string | undefined;
  /**
   * Set when a batch withdraw skipped this channel and withdrew nothing from it, though its transaction (the
   * batch's, `transactionHash`) went through: the entry's number in that batch and the contract's reason, the name
   * of the error `withdraw` reverts with for it (`ChannelNotFound` for a channel closed meanwhile, `NothingToWithdraw`,
   * `InvalidBalanceProofSigner`, …).
   */
  skipped?: { index: number; reason: string } | undefined;
};

/** One entry as it travels. */
export type OperatorResultJson = {
  sender_address: Address;
  open_block: string;
  balance: string;
  transaction_hash: Hash | null;
  error?: string;
  /** Both present, or neither: see {@link OperatorResult}'s `skipped`. */
  skipped_index?: number;
  skipped_reason?: string;
};

/**
 * The JSON of an operator command's answer.
 *
 * @example
 * import { encodeOperatorResults } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeOperatorResults(await operator.withdraw(threshold)));
 */
export function encodeOperatorResults(results: readonly OperatorResult[]): OperatorResultJson[] {
  return results.map((result) => ({
    sender_address: result.sender,
    open_block: result.openBlock.toString(),
    balance: result.balance.toString(),
    transaction_hash: result.transactionHash ?? null,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.skipped === undefined
      ? {}
      : { skipped_index: result.skipped.index, skipped_reason: result.skipped.reason }),
  }));
}

/**
 * Validates a parsed operator answer: an array of
 * `{ sender_address, open_block, balance, transaction_hash, error?, skipped_index?, skipped_reason? }` (the two
 * `skipped_` fields together or not at all). Throws MalformedBodyError (field `[i].name`) otherwise.
 *
 * @example
 * import { decodeOperatorResults } from "@micro-raiden/web-client/protocol";
 * for (const result of decodeOperatorResults(await response.json())) console.log(result.sender, result.error ?? "ok");
 */
export function decodeOperatorResults(json: unknown): OperatorResult[] {
  if (!Array.isArray(json)) throw new MalformedBodyError({ field: "(root)", reason: "must be a JSON array" });
  return json.map((entry: unknown, index) => {
    try {
      const body = readJsonBody(entry);
      return {
        sender: body.address("sender_address"),
        openBlock: body.uint("open_block", maxUint64),
        balance: body.uint("balance"),
        transactionHash: body.has("transaction_hash") ? body.hash("transaction_hash") : undefined,
        ...(body.has("error") ? { error: body.string("error") } : {}),
        // Either field alone reads the other, so half a skip report is refused naming the missing half.
        ...(body.has("skipped_index") || body.has("skipped_reason")
          ? { skipped: { index: body.count("skipped_index"), reason: body.string("skipped_reason") } }
          : {}),
      };
    } catch (error) {
      if (!(error instanceof MalformedBodyError)) throw error;
      throw new MalformedBodyError({ field: `[${index}].${error.field}`, reason: error.reason });
    }
  });
}
