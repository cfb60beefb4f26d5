import type { Address } from "viem";
import { BaseError } from "../protocol/BaseError.ts";

/**
 * The wallet's current account is not the channel's sender: the client signs nothing for another account.
 *
 * @example
 * import { AccountMismatchError } from "@micro-raiden/web-client";
 * if (error instanceof AccountMismatchError) console.log(`switch back to ${error.sender}`);
 */
export class AccountMismatchError extends BaseError {
  override name = "AccountMismatchError" as const;
  /** The channel's sender, who would have to sign. */
  readonly sender: Address;
  /** The account the wallet has selected now. */
  readonly account: Address;
  constructor({ sender, account }: { sender: Address; account: Address }) {
    super(`The wallet's account ${account} is not the channel's sender ${sender}.`, {
      metaMessages: [`Switch the wallet back to ${sender} to pay on this channel.`],
    });
    this.sender = sender;
    this.account = account;
  }
}

export type AccountMismatchErrorType = AccountMismatchError & { name: "AccountMismatchError" };
