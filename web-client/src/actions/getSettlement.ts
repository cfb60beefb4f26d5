import type { GetContractEventsErrorType } from "viem";
import { getContractEvents } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { ChannelKey } from "../storage/ChannelStorage.ts";

export type GetSettlementParameters = { channel: ChannelKey };
/** How a channel ended on chain, or undefined while it has not. */
export type GetSettlementReturnType =
  | {
      /** The balance it settled at: what the receiver was paid in all. */
      balance: bigint;
      /** What the receiver got at settlement, on top of what it had withdrawn. */
      receiverPayout: bigint;
      /** What came back to the sender. */
      senderRefund: bigint;
      blockNumber: bigint;
    }
  | undefined;
export type GetSettlementErrorType = GetContractEventsErrorType | ErrorType;

/**
 * How a channel ended: its ChannelSettled event (one log query from the block it opened in). For a reader coming
 * back after a close that happened while no page watched (the receiver's challenge, another device): what was paid
 * and what came back.
 *
 * @example
 * import { getSettlement } from "@micro-raiden/web-client";
 * const settled = await getSettlement(client, { channel }); // { balance, receiverPayout, senderRefund, blockNumber }
 */
export async function getSettlement(
  client: ChannelClient,
  parameters: GetSettlementParameters,
): Promise<GetSettlementReturnType> {
  const { channel } = parameters;
  const logs = await getContractEvents(client.publicClient, {
    address: channel.contract,
    abi: channelManagerAbi,
    eventName: "ChannelSettled",
    args: { sender: channel.sender, receiver: channel.receiver },
    fromBlock: channel.openBlock,
    strict: true,
  });
  const settled = logs.find((log) => log.args.openBlock === channel.openBlock);
  if (!settled) return undefined;
  const { balance, receiverPayout, senderRefund } = settled.args;
  return { balance, receiverPayout, senderRefund, blockNumber: settled.blockNumber };
}
