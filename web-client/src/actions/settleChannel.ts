import type { UserRejectedRequestErrorType, WriteContractErrorType } from "viem";
import { writeContract } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { type CurrentAccountErrorType, currentAccount } from "../client/currentAccount.ts";
import { mapContractError } from "../client/mapContractError.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

export type SettleChannelParameters = { channel: StoredChannel };
export type SettleChannelReturnType = StoredChannel;
export type SettleChannelErrorType =
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | UserRejectedRequestErrorType
  | CurrentAccountErrorType
  | EnsureChainErrorType
  | WriteContractErrorType
  | WaitForSuccessErrorType
  | ErrorType;

/**
 * Pays out a channel after an uncooperative close once its challenge period is over. Before that the contract
 * refuses with `ChallengePeriodNotOver` (a ChannelManagerRevertError). Anyone may send it; the payout goes to the
 * channel's sender and receiver whoever does.
 *
 * @example
 * import { settleChannel } from "@micro-raiden/web-client";
 * const settled = await settleChannel(client, { channel });
 */
export async function settleChannel(
  client: ChannelClient,
  { channel }: SettleChannelParameters,
): Promise<SettleChannelReturnType> {
  const account = await currentAccount(client);
  const chain = await ensureChain(client, { chainId: channel.chainId });
  const hash = await writeContract(client.walletClient, {
    chain,
    account,
    address: channel.contract,
    abi: channelManagerAbi,
    functionName: "settle",
    args: [channel.sender, channel.receiver, channel.openBlock],
  }).catch((error: unknown) => {
    throw mapContractError(error);
  });
  await waitForSuccess(client, hash);
  const settled: StoredChannel = { ...((await client.storage.get(channel)) ?? channel), state: "closed" };
  await client.storage.put(settled);
  return settled;
}
