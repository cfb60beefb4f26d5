import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import type { Account, Address, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import type { Receiver } from "../receiver/createReceiver.ts";

export type OperatorResult = { sender: Address; openBlock: bigint; balance: bigint; transactionHash: Hash };

/**
 * The receiver operator's on-chain commands (µRaiden's operator tools): take what channels owe without closing
 * them, or close them all. Both only use balance proofs the receiver accepted.
 */
export function createOperator(parameters: {
  receiver: Receiver;
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

  return {
    /** Withdraws from every open channel whose unwithdrawn balance is at least `threshold`. */
    async withdraw(threshold: bigint): Promise<OperatorResult[]> {
      const done: OperatorResult[] = [];
      for (const channel of receiver.book.channels.values()) {
        const owed = channel.balance - channel.withdrawn;
        if (receiver.status(channel) !== "open" || !channel.signature || owed <= 0n || owed < threshold) continue;
        const transactionHash = await send(
          await walletClient.writeContract({
            ...manager,
            functionName: "withdraw",
            args: [channel.sender, channel.openBlock, channel.balance, channel.signature],
          }),
        );
        done.push({ sender: channel.sender, openBlock: channel.openBlock, balance: channel.balance, transactionHash });
      }
      return done;
    },

    /** Closes every open or closing channel that has a payment, at its latest proof (the receiver's signature is not needed: it submits). */
    async closeAll(): Promise<OperatorResult[]> {
      const done: OperatorResult[] = [];
      for (const channel of receiver.book.channels.values()) {
        const status = receiver.status(channel);
        if ((status !== "open" && status !== "closing") || !channel.signature) continue;
        const transactionHash = await send(
          await walletClient.writeContract({
            ...manager,
            functionName: "cooperativeClose",
            args: [channel.sender, receiver.address, channel.openBlock, channel.balance, channel.signature, "0x"],
          }),
        );
        done.push({ sender: channel.sender, openBlock: channel.openBlock, balance: channel.balance, transactionHash });
      }
      return done;
    },
  };
}

export type Operator = ReturnType<typeof createOperator>;
