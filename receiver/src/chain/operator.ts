import { channelManagerAbi, type OperatorResult, unpackDelegatedSignature } from "@micro-raiden/web-client/protocol";
import {
  type Account,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  parseEventLogs,
  parseSignature,
  signatureToCompactSignature,
  type TransactionReceipt,
  type Transport,
  toFunctionSelector,
  type WalletClient,
} from "viem";
import type { ChannelProof, ReceiverCore } from "../receiver/createReceiverCore.ts";

export type { OperatorResult };

/**
 * Channels per `batchWithdraw` transaction. At about 16–20k gas a channel, 100 entries cost about 2M gas: far below
 * any block's gas limit, so a batch is never unminable, and gas estimation, calldata (about 16 kB) and the damage of
 * one batch failing whole (an RPC error, a nonce race) stay bounded. The fixed cost (the transaction and the single
 * token transfer, about 45k gas) is already spread thin at 100, so larger batches would save almost nothing.
 */
export const withdrawBatchSize = 100;

/** The error names `batchWithdraw` reports a skip with (`WithdrawalSkipped.reason` is the error's selector). */
const skipReasons = new Map<Hex, string>(
  channelManagerAbi
    .filter((item) => item.type === "error")
    // Every error of ours has elementary parameters, so its signature is its name and their types.
    .map((item): [Hex, string] => [
      toFunctionSelector(`${item.name}(${item.inputs.map((input) => input.type).join(",")})`),
      item.name,
    ]),
);

/** The receipt of a transaction that succeeded; throws when it reverted. */
export async function minedReceipt(publicClient: PublicClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted.`);
  return receipt;
}

function failure(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}

/**
 * The receiver operator's on-chain commands (µRaiden's operator tools): take what channels owe without closing
 * them, in as few transactions as possible, or close them all. Both only use balance proofs the receiver accepted.
 */
export function createOperator(parameters: {
  receiver: ReceiverCore;
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
  /** Reads the chain now (the watcher's `syncOnce`): after a skip, so the book learns why before the next run. */
  sync?: (() => Promise<void>) | undefined;
  /** Channels per `batchWithdraw` transaction (default {@link withdrawBatchSize}). */
  batchSize?: number | undefined;
  /** Where each transaction sent and mined is reported (default: the console). */
  log?: ((level: "info", message: string) => void) | undefined;
}) {
  const { receiver, publicClient, walletClient } = parameters;
  const log = parameters.log ?? ((level, message) => console[level](`[operator] ${message}`));
  const manager = { address: receiver.deployment.channelManager, abi: channelManagerAbi, chain: null } as const;
  const fromManager = (log: { address: string }) => log.address.toLowerCase() === manager.address.toLowerCase();

  /** Waits for `hash`, said to be sent for `what`, reporting both steps. */
  async function mined(hash: Hash, what: string): Promise<TransactionReceipt> {
    log("info", `${what}: transaction ${hash} sent`);
    const receipt = await minedReceipt(publicClient, hash);
    log("info", `${what}: transaction ${hash} mined in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`);
    return receipt;
  }

  /**
   * One `batchWithdraw` for `proofs`. What went through is read from the receipt, never assumed: a channel counts as
   * withdrawn only with its `ChannelWithdrawn` event, and each `WithdrawalSkipped` names the entry it skipped.
   */
  async function withdrawBatch(proofs: readonly ChannelProof[]): Promise<OperatorResult[]> {
    let transactionHash: Hash | undefined;
    try {
      transactionHash = await walletClient.writeContract({
        ...manager,
        functionName: "batchWithdraw",
        args: [
          proofs.map(({ sender, openBlock, balance, signature }) => {
            const { r, yParityAndS } = signatureToCompactSignature(parseSignature(signature));
            return { sender, openBlock, balance, r, vs: yParityAndS };
          }),
        ],
      });
      const receipt = await mined(transactionHash, `withdraw from ${proofs.length} channel(s)`);
      const logs = receipt.logs.filter(fromManager);
      const skipped = new Map(
        parseEventLogs({ abi: channelManagerAbi, eventName: "WithdrawalSkipped", logs }).map(({ args }) => [
          Number(args.index),
          skipReasons.get(args.reason) ?? args.reason,
        ]),
      );
      const withdrawn = new Map(
        parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelWithdrawn", logs })
          .filter(({ args }) => args.receiver.toLowerCase() === receiver.address.toLowerCase())
          .map(({ args }) => [`${args.sender.toLowerCase()}:${args.openBlock}`, args.withdrawn]),
      );
      return proofs.map(({ sender, openBlock, balance }, index): OperatorResult => {
        const reason = skipped.get(index);
        if (reason !== undefined) return { sender, openBlock, balance, transactionHash, skipped: { index, reason } };
        const total = withdrawn.get(`${sender.toLowerCase()}:${openBlock}`);
        if (total === undefined) {
          return { sender, openBlock, balance, transactionHash, error: "No ChannelWithdrawn event in the receipt." };
        }
        // Record it now: the watcher sees the event only at its next poll, and a repeat must not withdraw again.
        receiver.recordWithdrawal(sender, openBlock, total);
        return { sender, openBlock, balance, transactionHash };
      });
    } catch (error) {
      const message = failure(error);
      return proofs.map(({ sender, openBlock, balance }) => ({
        sender,
        openBlock,
        balance,
        transactionHash,
        error: message,
      }));
    }
  }

  /** One `withdraw`, for a proof `batchWithdraw` cannot take; reported as a batch entry is. */
  async function withdrawOne({ sender, openBlock, balance, signature }: ChannelProof): Promise<OperatorResult> {
    let transactionHash: Hash | undefined;
    try {
      transactionHash = await walletClient.writeContract({
        ...manager,
        functionName: "withdraw",
        args: [sender, openBlock, balance, signature],
      });
      const receipt = await mined(transactionHash, `withdraw from ${sender} ${openBlock} (delegated key)`);
      const [withdrawn] = parseEventLogs({
        abi: channelManagerAbi,
        eventName: "ChannelWithdrawn",
        logs: receipt.logs.filter(fromManager),
      });
      if (!withdrawn) {
        return { sender, openBlock, balance, transactionHash, error: "No ChannelWithdrawn event in the receipt." };
      }
      receiver.recordWithdrawal(sender, openBlock, withdrawn.args.withdrawn);
      return { sender, openBlock, balance, transactionHash };
    } catch (error) {
      return { sender, openBlock, balance, transactionHash, error: failure(error) };
    }
  }

  return {
    /**
     * Withdraws from every open channel whose unwithdrawn balance is at least `threshold`: one `batchWithdraw`
     * transaction (one token transfer) per `batchSize` channels. A channel the contract skips (closed
     * meanwhile, say) is reported with `skipped` and withdraws nothing; the others in its batch are paid.
     */
    async withdraw(threshold: bigint): Promise<OperatorResult[]> {
      const withdrawable = receiver.withdrawable(threshold);
      const done: OperatorResult[] = [];
      // batchWithdraw takes compact 65-byte proofs only: a channel whose latest proof a key delegated off-chain
      // signed (150 bytes with its delegation) is withdrawn on its own.
      for (const proof of withdrawable.filter(({ signature }) => unpackDelegatedSignature(signature))) {
        done.push(await withdrawOne(proof));
      }
      const proofs = withdrawable.filter(({ signature }) => !unpackDelegatedSignature(signature));
      const size = parameters.batchSize ?? withdrawBatchSize;
      for (let start = 0; start < proofs.length; start += size) {
        done.push(...(await withdrawBatch(proofs.slice(start, start + size))));
      }
      // A skip means the book is behind the chain (mostly a close it has not read yet): catch up, so the next run
      // does not send the same entry again. A failed read changes nothing here; the watcher's poll retries it.
      if (done.some((result) => result.skipped)) await parameters.sync?.().catch(() => undefined);
      return done;
    },

    /** Closes every open or closing channel that has a payment, at its latest proof (the receiver's signature is not needed: it submits). */
    async closeAll(): Promise<OperatorResult[]> {
      const done: OperatorResult[] = [];
      for (const { sender, openBlock } of receiver.closable()) {
        let closing: Awaited<ReturnType<ReceiverCore["beginClose"]>>;
        try {
          closing = await receiver.beginClose(sender, openBlock);
        } catch (error) {
          // Held by a request all through the request timeout: report it, and close the others.
          const balance = receiver.book.get(sender, openBlock)?.balance ?? 0n;
          done.push({ sender, openBlock, balance, transactionHash: undefined, error: failure(error) });
          continue;
        }
        if (!closing) continue;
        const { balance, signature } = closing;
        try {
          const transactionHash = await walletClient.writeContract({
            ...manager,
            functionName: "cooperativeClose",
            args: [sender, receiver.address, openBlock, balance, signature, "0x"],
          });
          await mined(transactionHash, `close ${sender}:${openBlock}`);
          receiver.recordSettled(sender, openBlock);
          done.push({ sender, openBlock, balance, transactionHash });
        } catch (error) {
          if (closing.marked) await receiver.abortClose(sender, openBlock);
          done.push({ sender, openBlock, balance, transactionHash: undefined, error: failure(error) });
        }
      }
      return done;
    },
  };
}

export type Operator = ReturnType<typeof createOperator>;
