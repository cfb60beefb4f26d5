import type { Hex, UserRejectedRequestErrorType } from "viem";
import type { PaymentClient } from "../client/PaymentClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { balanceProofTypedData } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";
import { type SignForChannelErrorType, signForChannel } from "./signForChannel.ts";

export type SignBalanceProofParameters = {
  channel: StoredChannel;
  /** The new cumulative balance, in token base units. */
  balance: bigint;
};
export type SignBalanceProofReturnType = Hex;
export type SignBalanceProofErrorType =
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | UserRejectedRequestErrorType
  | SignForChannelErrorType
  | ErrorType;

/**
 * Signs a balance proof for `channel` at `balance`: with the channel's session key when it has one and the client
 * signs with session keys (no prompt), otherwise with the wallet (`eth_signTypedData_v4`, one prompt). Only while
 * the wallet's current account is the channel's sender (else AccountMismatchError). Records nothing: `pay` does.
 *
 * @example
 * import { signBalanceProof } from "@micro-raiden/web-client";
 * const signature = await signBalanceProof(client, { channel, balance: channel.balance + 1000n });
 */
export function signBalanceProof(
  client: PaymentClient,
  { channel, balance }: SignBalanceProofParameters,
): Promise<SignBalanceProofReturnType> {
  return signForChannel(
    client,
    channel,
    balanceProofTypedData(channelDomain(channel), channelMessage(channel, balance)),
  );
}
