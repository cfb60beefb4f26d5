import type { UserRejectedRequestErrorType, WriteContractErrorType } from "viem";
import { writeContract } from "viem/actions";
import { type ChannelAccountErrorType, channelAccount } from "../client/channelAccount.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { mapContractError } from "../client/mapContractError.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { GatewayUrlRequiredError, type GatewayUrlRequiredErrorType } from "../errors/GatewayUrlRequiredError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { ReceiverApiErrorType } from "../errors/ReceiverApiError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { type RequestClosingSignatureErrorType, requestClosingSignature } from "./requestClosingSignature.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

export type CloseChannelParameters = {
  channel: StoredChannel;
  /** The receiver's REST API root, e.g. `https://site.example/api/1` (a 402's RDN-Gateway-Path on its origin). */
  gatewayUrl: string;
};
export type CloseChannelReturnType = StoredChannel;
export type CloseChannelErrorType =
  | GatewayUrlRequiredErrorType
  | ReceiverApiErrorType
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | UserRejectedRequestErrorType
  | ChannelAccountErrorType
  | EnsureChainErrorType
  | RequestClosingSignatureErrorType
  | WriteContractErrorType
  | WaitForSuccessErrorType
  | ErrorType;

/**
 * Closes a channel cooperatively: asks the receiver for its closing signature at the channel's balance (with the
 * sender's own proof and signed request, so nobody else can ask), and submits it in one transaction that pays out
 * at once. Without the receiver, `closeChannelUncooperatively` starts the challenge period instead.
 *
 * @example
 * import { closeChannel } from "@micro-raiden/web-client";
 * const closed = await closeChannel(client, { channel, gatewayUrl: "http://localhost:3000/api/1" });
 */
export async function closeChannel(
  client: ChannelClient,
  parameters: CloseChannelParameters,
): Promise<CloseChannelReturnType> {
  if (!parameters.gatewayUrl) throw new GatewayUrlRequiredError();
  const channel = (await client.storage.get(parameters.channel)) ?? parameters.channel;
  const account = await channelAccount(client, channel);
  const chain = await ensureChain(client, { chainId: channel.chainId });
  const closingSignature = await requestClosingSignature(client, { channel, gatewayUrl: parameters.gatewayUrl });
  const hash = await writeContract(client.walletClient, {
    chain,
    account,
    address: channel.contract,
    abi: channelManagerAbi,
    functionName: "cooperativeClose",
    // The sender submits, so its own balance signature is not needed on chain.
    args: [channel.sender, channel.receiver, channel.openBlock, channel.balance, "0x", closingSignature],
  }).catch((error: unknown) => {
    throw mapContractError(error);
  });
  await waitForSuccess(client, hash);
  const closed: StoredChannel = { ...channel, state: "closed" };
  await client.storage.put(closed);
  return closed;
}
