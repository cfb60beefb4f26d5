import { type Account, isAddressEqual } from "viem";
import { AccountMismatchError, type AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ChannelKey } from "../storage/ChannelStorage.ts";
import { type CurrentAccountErrorType, currentAccount } from "./currentAccount.ts";
import type { PaymentClient } from "./PaymentClient.ts";

export type ChannelAccountErrorType = AccountMismatchErrorType | CurrentAccountErrorType;

/**
 * The account that may act on `channel` (sign its proofs with the wallet, send its transactions): the wallet's
 * current account, checked with the wallet right now, and only if it is the channel's sender. A reader who switched
 * accounts in the wallet gets AccountMismatchError, never a signature by the account they left.
 */
export async function channelAccount(client: PaymentClient, channel: Pick<ChannelKey, "sender">): Promise<Account> {
  const account = await currentAccount(client);
  if (!isAddressEqual(account.address, channel.sender)) {
    throw new AccountMismatchError({ sender: channel.sender, account: account.address });
  }
  return account;
}
