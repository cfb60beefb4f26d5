import type { Hex, SignTypedDataErrorType, UserRejectedRequestErrorType } from "viem";
import { signTypedData } from "viem/actions";
import { assertChannelSender } from "../client/assertChannelSender.ts";
import { type ChannelAccountErrorType, channelAccount } from "../client/channelAccount.ts";
import type { ChannelTypedData, PaymentClient } from "../client/PaymentClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { signTypedDataWithKey } from "../protocol/secp256k1.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";

export type SignForChannelErrorType =
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | UserRejectedRequestErrorType
  | ChannelAccountErrorType
  | EnsureChainErrorType
  | SignTypedDataErrorType
  | ErrorType;

/**
 * Signs a channel's typed data (a balance proof or a close request): with its session key when it has one and the
 * client signs with session keys (no prompt), otherwise with the wallet on the channel's chain. Either way only
 * while the wallet's current account is the channel's sender.
 */
export async function signForChannel(
  client: PaymentClient,
  channel: StoredChannel,
  typedData: ChannelTypedData,
): Promise<Hex> {
  if (client.signing === "session" && channel.sessionKey) {
    assertChannelSender(client, channel);
    // The key signs directly: an account object would also bring viem's transaction serializers along.
    return signTypedDataWithKey(typedData, channel.sessionKey);
  }
  const account = await channelAccount(client, channel);
  await ensureChain(client, { chainId: channel.chainId });
  return signTypedData(client.walletClient, { ...typedData, account });
}
