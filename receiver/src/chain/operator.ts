import { channelManagerAbi, type OperatorResult } from "@micro-raiden/web-client/protocol";
import type { Account, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";

export type { OperatorResult };

/**
 * The receiver operator's on-chain commands (µRaiden's operator tools): take what channels owe without closing
 * them, or close them all. Both only use balance proofs the receiver accepted.
 */
export function createOperator(parameters: {
  receiver: ReceiverCore;
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
}) {
  const { receiver, publicClient, walletClient } = parameters;
  const manager = { address: receiver.deployment.channelManager, abi: channelManagerAbi, chain: null } as const;

  async function send(hash: Hash): Promise<Hash> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted.`);
    return hash;
  }

  function failure(error: unknown): string {
    return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
  }

  return {
    /** Withdraws from every open channel whose unwithdrawn balance is at least `threshold`. */
    async withdraw(threshold: bigint): Promise<OperatorResult[]> {
      const done: OperatorResult[] = [];
      for (const { sender, openBlock, balance, signature } of receiver.withdrawable(threshold)) {
        try {
          const transactionHash = await send(
            await walletClient.writeContract({
              ...manager,
              functionName: "withdraw",
              args: [sender, openBlock, balance, signature],
            }),
          );
          // Record it now: the watcher sees the event only at its next poll, and a repeat must not withdraw again.
          receiver.recordWithdrawal(sender, openBlock, balance);
          done.push({ sender, openBlock, balance, transactionHash });
        } catch (error) {
          done.push({ sender, openBlock, balance, transactionHash: undefined, error: failure(error) });
        }
      }
      return done;
    },

    /** Closes every open or closing channel that has a payment, at its latest proof (the receiver's signature is not needed: it submits). */
    async closeAll(): Promise<OperatorResult[]> {
      const done: OperatorResult[] = [];
      for (const { sender, openBlock } of receiver.closable()) {
        const closing = await receiver.beginClose(sender, openBlock);
        if (!closing) continue;
        const { balance, signature } = closing;
        try {
          const transactionHash = await send(
            await walletClient.writeContract({
              ...manager,
              functionName: "cooperativeClose",
              args: [sender, receiver.address, openBlock, balance, signature, "0x"],
            }),
          );
          receiver.recordSettled(sender, openBlock);
          done.push({ sender, openBlock, balance, transactionHash });
        } catch (error) {
          if (closing.marked) receiver.abortClose(sender, openBlock);
          done.push({ sender, openBlock, balance, transactionHash: undefined, error: failure(error) });
        }
      }
      return done;
    },
  };
}

export type Operator = ReturnType<typeof createOperator>;
