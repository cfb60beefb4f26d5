import { parseEventLogs, type UserRejectedRequestErrorType, type WriteContractErrorType } from "viem";
import { writeContract } from "viem/actions";
import { type ChannelAccountErrorType, channelAccount } from "../client/channelAccount.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { mapContractError } from "../client/mapContractError.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

export type CloseChannelUncooperativelyParameters = { channel: StoredChannel };
export type CloseChannelUncooperativelyReturnType = StoredChannel;
export type CloseChannelUncooperativelyErrorType =
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | UserRejectedRequestErrorType
  | ChannelAccountErrorType
  | EnsureChainErrorType
  | WriteContractErrorType
  | WaitForSuccessErrorType
  | ErrorType;

/**
 * Starts closing a channel without the receiver, at the channel's last accepted balance: the challenge period
 * begins (the receiver may still submit a newer proof), and `settleChannel` pays out after it. The stored channel
 * becomes "closing" with its `settleBlock`.
 *
 * @example
 * import { closeChannelUncooperatively, settleChannel } from "@micro-raiden/web-client";
 * const closing = await closeChannelUncooperatively(client, { channel });
 * // … after closing.settleBlock:
 * await settleChannel(client, { channel: closing });
 */
export async function closeChannelUncooperatively(
  client: ChannelClient,
  parameters: CloseChannelUncooperativelyParameters,
): Promise<CloseChannelUncooperativelyReturnType> {
  const channel = (await client.storage.get(parameters.channel)) ?? parameters.channel;
  const account = await channelAccount(client, channel);
  const chain = await ensureChain(client, { chainId: channel.chainId });
  const hash = await writeContract(client.walletClient, {
    chain,
    account,
    address: channel.contract,
    abi: channelManagerAbi,
    functionName: "uncooperativeClose",
    args: [channel.receiver, channel.openBlock, channel.balance],
  }).catch((error: unknown) => {
    throw mapContractError(error);
  });
  const receipt = await waitForSuccess(client, hash);
  const [requested] = parseEventLogs({
    abi: channelManagerAbi,
    eventName: "ChannelCloseRequested",
    logs: receipt.logs,
  });
  const closing: StoredChannel = { ...channel, state: "closing", settleBlock: requested?.args.settleBlock };
  await client.storage.put(closing);
  return closing;
}
