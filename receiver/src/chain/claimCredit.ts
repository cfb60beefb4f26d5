import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import {
  type Account,
  type Chain,
  type Hash,
  type PublicClient,
  parseEventLogs,
  type Transport,
  type WalletClient,
} from "viem";
import { minedReceipt } from "./operator.ts";

/** What `claimCredit` did: the tokens paid to the receiver and the transaction that paid them. */
export type ClaimResult = { amount: bigint; transactionHash: Hash };

/**
 * Claims the receiver's credit on `channelManager`: payouts the token refused to make to it earlier (a blocklist, a
 * receive hook), which the manager kept for it. The transaction reverts (`NothingToClaim`) when there is none, and
 * while the token still refuses the receiver; then this throws and the credit stays.
 */
export async function claimCredit(parameters: {
  channelManager: `0x${string}`;
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
}): Promise<ClaimResult> {
  const { channelManager, publicClient, walletClient } = parameters;
  const transactionHash = await walletClient.writeContract({
    chain: null,
    address: channelManager,
    abi: channelManagerAbi,
    functionName: "claim",
  });
  const receipt = await minedReceipt(publicClient, transactionHash);
  const [claimed] = parseEventLogs({
    abi: channelManagerAbi,
    eventName: "CreditClaimed",
    logs: receipt.logs.filter((log) => log.address.toLowerCase() === channelManager.toLowerCase()),
  });
  return { amount: claimed?.args.amount ?? 0n, transactionHash };
}
