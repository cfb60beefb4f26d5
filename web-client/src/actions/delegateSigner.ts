import type { SignTypedDataErrorType, UserRejectedRequestErrorType } from "viem";
import { signTypedData } from "viem/actions";
import { type ChannelAccountErrorType, channelAccount } from "../client/channelAccount.ts";
import type { PaymentClient } from "../client/PaymentClient.ts";
import { ChannelNotOpenError, type ChannelNotOpenErrorType } from "../errors/ChannelNotOpenError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { signerDelegationTypedData } from "../protocol/index.ts";
import { generateSessionKey, keyAddress } from "../protocol/secp256k1.ts";
import type { AutoPayLimit, ChannelKey, StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain } from "../storage/channelMessage.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { receiverLockName } from "./receiverLockName.ts";

export type DelegateSignerParameters = {
  channel: ChannelKey;
  /**
   * What the new key may pay without asking: the reader's choice for this origin, kept with the channel and enforced
   * by `pay`, as `openChannel`'s `autoPay` is where the channel was opened.
   */
  autoPay?: AutoPayLimit | undefined;
};
export type DelegateSignerReturnType = StoredChannel;
export type DelegateSignerErrorType =
  | NotConnectedErrorType
  | ChannelNotOpenErrorType
  | ChannelAccountErrorType
  | EnsureChainErrorType
  | UserRejectedRequestErrorType
  | SignTypedDataErrorType
  | ErrorType;

/**
 * Gives this origin its own automatic payments on a channel opened elsewhere: browser storage is partitioned per
 * site, so a channel opened with a session key on another origin (a blog's paid fragment) has no key here. Makes a
 * new session key and asks the wallet for one signature, the sender's EIP-712 `SignerDelegation` of this channel to
 * it (no transaction, no fee), and keeps both with the channel. From then on `pay` signs with the key, without a
 * prompt, within `autoPay`, and sends the delegation beside each proof (`RDN-Signer-Delegation`); the receiver and
 * the contract take the key's proofs for this channel only.
 *
 * @example
 * import { delegateSigner } from "@micro-raiden/web-client";
 * const channel = await delegateSigner(client, { channel: stored, autoPay: { maxPrice: 10n ** 15n, perMinute: 30 } });
 */
export async function delegateSigner(
  client: PaymentClient,
  parameters: DelegateSignerParameters,
): Promise<DelegateSignerReturnType> {
  const key = parameters.channel;
  const channel = await client.storage.get(key);
  if (channel?.state !== "open") throw new ChannelNotOpenError({ channel: key, state: channel?.state });
  const account = await channelAccount(client, channel);
  await ensureChain(client, { chainId: channel.chainId });
  const sessionKey = generateSessionKey();
  const signerDelegation = await signTypedData(client.walletClient, {
    ...signerDelegationTypedData(channelDomain(channel), {
      sender: channel.sender,
      receiver: channel.receiver,
      openBlock: channel.openBlock,
      signer: keyAddress(sessionKey),
    }),
    account,
  });
  // Under the receiver's lock: a payment in flight records its balance first, and this keeps it.
  return client.lock(receiverLockName(key), async () => {
    const latest = (await client.storage.get(key)) ?? channel;
    const delegated: StoredChannel = {
      ...latest,
      sessionKey,
      signerDelegation,
      ...(parameters.autoPay ? { autoPay: parameters.autoPay } : {}),
    };
    await client.storage.put(delegated);
    return delegated;
  });
}
