import type { Hash, TransactionReceipt, WaitForTransactionReceiptErrorType } from "viem";
import { waitForTransactionReceipt } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { TransactionRevertedError, type TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";

export type WaitForSuccessErrorType = TransactionRevertedErrorType | WaitForTransactionReceiptErrorType | ErrorType;

/** Waits for a transaction's receipt; a reverted transaction is TransactionRevertedError. */
export async function waitForSuccess(client: ChannelClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await waitForTransactionReceipt(client.publicClient, { hash });
  if (receipt.status !== "success") throw new TransactionRevertedError({ hash });
  return receipt;
}
