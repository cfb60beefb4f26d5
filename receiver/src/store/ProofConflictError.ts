import type { Address } from "viem";

/**
 * A proof was not stored because the channel already holds one at a balance at least as high (stored by another
 * receiver on the same database): storing it would have lowered what the receiver can claim.
 */
export class ProofConflictError extends Error {
  override readonly name = "ProofConflictError";
  readonly sender: Address;
  readonly openBlock: bigint;
  readonly balance: bigint;

  constructor(sender: Address, openBlock: bigint, balance: bigint) {
    super(`Channel ${sender}/${openBlock} already holds a proof at or above ${balance}: this one was not stored.`);
    this.sender = sender;
    this.openBlock = openBlock;
    this.balance = balance;
  }
}
