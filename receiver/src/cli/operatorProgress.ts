import type { OperatorResult } from "@micro-raiden/web-client/protocol";
import { createPublicClient, type Hash, http } from "viem";

/**
 * What an operator command's transactions did, a line each (its channels, what they took, its gas when an RPC URL
 * is known), then one line of totals: `withdraw` and `close-all` print it after the receiver's answer.
 */
export async function operatorProgress(results: readonly OperatorResult[], rpcUrl?: string): Promise<string[]> {
  const byTransaction = new Map<Hash, OperatorResult[]>();
  for (const result of results) {
    if (result.transactionHash === undefined) continue;
    byTransaction.set(result.transactionHash, [...(byTransaction.get(result.transactionHash) ?? []), result]);
  }
  const publicClient = rpcUrl ? createPublicClient({ transport: http(rpcUrl) }) : undefined;
  const lines: string[] = [];
  for (const [hash, done] of byTransaction) {
    const taken = done.filter((result) => !result.skipped && !result.error);
    const total = taken.reduce((sum, result) => sum + result.balance, 0n);
    const receipt = await publicClient?.getTransactionReceipt({ hash }).catch(() => undefined);
    const where = receipt ? ` in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}` : "";
    lines.push(`  transaction ${hash} mined${where}: ${taken.length} channel(s), balances up to ${total} base units`);
  }
  const failed = results.filter((result) => result.error !== undefined).length;
  const skipped = results.filter((result) => result.skipped !== undefined).length;
  lines.push(
    `${byTransaction.size} transaction(s) mined for ${results.length} channel(s)` +
      (skipped ? `, ${skipped} skipped` : "") +
      (failed ? `, ${failed} failed` : ""),
  );
  return lines;
}
