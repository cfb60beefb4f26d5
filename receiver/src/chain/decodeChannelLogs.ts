import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import { type Log, parseEventLogs, zeroAddress } from "viem";
import type { ChainEvent } from "../store/records.ts";

/** Turns raw manager logs into stored events (pending logs without a block are skipped). */
export function decodeChannelLogs(logs: readonly Log[]): ChainEvent[] {
  const events: ChainEvent[] = [];
  for (const log of parseEventLogs({ abi: channelManagerAbi, logs: [...logs], strict: true })) {
    if (log.blockNumber === null || log.blockHash === null || log.logIndex === null || log.transactionHash === null) {
      continue;
    }
    const base = {
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
    };
    switch (log.eventName) {
      case "ChannelCreated":
        events.push({
          ...base,
          name: log.eventName,
          sender: log.args.sender,
          openBlock: log.args.openBlock,
          amounts: { deposit: log.args.deposit },
          signer: log.args.signer === zeroAddress ? undefined : log.args.signer,
        });
        break;
      case "ChannelToppedUp":
        events.push({
          ...base,
          name: log.eventName,
          sender: log.args.sender,
          openBlock: log.args.openBlock,
          amounts: { added: log.args.added, deposit: log.args.deposit },
        });
        break;
      case "ChannelWithdrawn":
        events.push({
          ...base,
          name: log.eventName,
          sender: log.args.sender,
          openBlock: log.args.openBlock,
          amounts: { amount: log.args.amount, withdrawn: log.args.withdrawn },
        });
        break;
      case "ChannelCloseRequested":
        events.push({
          ...base,
          name: log.eventName,
          sender: log.args.sender,
          openBlock: log.args.openBlock,
          amounts: { balance: log.args.balance },
          settleBlock: log.args.settleBlock,
        });
        break;
      case "ChannelSettled":
        events.push({
          ...base,
          name: log.eventName,
          sender: log.args.sender,
          openBlock: log.args.openBlock,
          amounts: {
            balance: log.args.balance,
            receiverPayout: log.args.receiverPayout,
            senderRefund: log.args.senderRefund,
          },
        });
        break;
    }
  }
  return events;
}
