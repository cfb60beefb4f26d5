import { encodePacked, parseEventLogs, type UserRejectedRequestErrorType } from "viem";
import { writeContract } from "viem/actions";
import { type ChannelAccountErrorType, channelAccount } from "../client/channelAccount.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type DepositTransactionErrorType, depositTransaction } from "./depositTransaction.ts";
import { type DepositMethod, type DetectDepositMethodErrorType, detectDepositMethod } from "./detectDepositMethod.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { receiverLockName } from "./receiverLockName.ts";
import { type RefreshChannelErrorType, refreshChannel } from "./refreshChannel.ts";
import { type VerifyChannelManagerErrorType, verifyChannelManager } from "./verifyChannelManager.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

export type TopUpParameters = {
  channel: StoredChannel;
  /** Tokens to add, in base units. */
  amount: bigint;
  /** Defaults to the best the token supports: permit, then ERC-1363, then approve. */
  method?: DepositMethod | undefined;
};
export type TopUpReturnType = StoredChannel;
export type TopUpErrorType =
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | VerifyChannelManagerErrorType
  | UserRejectedRequestErrorType
  | ChannelAccountErrorType
  | EnsureChainErrorType
  | DetectDepositMethodErrorType
  | DepositTransactionErrorType
  | WaitForSuccessErrorType
  | RefreshChannelErrorType
  | ErrorType;

/**
 * Adds `amount` tokens to an open channel (permit, ERC-1363 or approve, as for opening) and stores the new deposit:
 * the total the contract reports in the transaction's `ChannelToppedUp` event, written under the receiver's lock,
 * so a refresh from another tab or `watchChannels` that already stored it does not count the top-up twice.
 *
 * @example
 * import { topUp } from "@micro-raiden/web-client";
 * const channel = await topUp(client, { channel, amount: 5n * 10n ** 18n });
 */
export async function topUp(client: ChannelClient, parameters: TopUpParameters): Promise<TopUpReturnType> {
  const { channel, amount } = parameters;
  const account = await channelAccount(client, channel);
  const chain = await ensureChain(client, { chainId: channel.chainId });
  // A stored channel may come from an older version or another app: check its manager before adding to it.
  await verifyChannelManager(client, { address: channel.contract, chainId: channel.chainId, token: channel.token });
  const method = parameters.method ?? (await detectDepositMethod(client, { token: channel.token }));
  const manager = { chain, account, address: channel.contract, abi: channelManagerAbi } as const;
  const hash = await depositTransaction(
    client,
    { chain, account, contract: channel.contract, token: channel.token, method },
    {
      withPermit: (p) =>
        writeContract(client.walletClient, {
          ...manager,
          functionName: "topUpWithPermit",
          args: [channel.receiver, channel.openBlock, amount, p.deadline, p.v, p.r, p.s],
        }),
      withAllowance: () =>
        writeContract(client.walletClient, {
          ...manager,
          functionName: "topUp",
          args: [channel.receiver, channel.openBlock, amount],
        }),
      erc1363Data: encodePacked(["address", "uint64"], [channel.receiver, channel.openBlock]),
      amount,
    },
  );
  const receipt = await waitForSuccess(client, hash);
  const toppedUp = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelToppedUp", logs: receipt.logs }).find(
    (log) =>
      log.address.toLowerCase() === channel.contract.toLowerCase() &&
      log.args.receiver.toLowerCase() === channel.receiver.toLowerCase() &&
      log.args.openBlock === channel.openBlock,
  );
  // A token that moves the deposit through a proxy may leave the event to another emitter: ask the chain instead.
  if (!toppedUp) return refreshChannel(client, channel);
  const { deposit } = toppedUp.args;
  return client.lock(receiverLockName(channel), async () => {
    const latest = (await client.storage.get(channel)) ?? channel;
    // The event's deposit is the new total. A later top-up (another tab) may have stored more already: keep that.
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
    const updated = { ...latest, deposit: deposit > latest.deposit ? deposit : latest.deposit };
    await client.storage.put(updated);
    return updated;
  });
}
