import type { Hash, TransactionReceipt } from "viem";
import { waitForTransactionReceipt } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { TransactionRevertedError } from "../errors/TransactionRevertedError.ts";

/** Waits for a transaction's receipt; a reverted transaction is TransactionRevertedError. */
export async function waitForSuccess(client: ChannelClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await waitForTransactionReceipt(client.publicClient, { hash });
  if (receipt.status !== "success") throw new TransactionRevertedError({ hash });
  return receipt;
}
