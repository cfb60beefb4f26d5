import {
  type Address,
  encodePacked,
  isAddressEqual,
  parseEventLogs,
  type UserRejectedRequestErrorType,
  zeroAddress,
} from "viem";
import { writeContract } from "viem/actions";
import type { ChannelClient, SigningMode } from "../client/createChannelClient.ts";
import { type CurrentAccountErrorType, currentAccount } from "../client/currentAccount.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { NoChannelOpenedError, type NoChannelOpenedErrorType } from "../errors/NoChannelOpenedError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { ReceiverApiErrorType } from "../errors/ReceiverApiError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi, type SponsoredOpenKind } from "../protocol/index.ts";
import { generateSessionKey, keyAddress } from "../protocol/secp256k1.ts";
import type { AutoPayLimit, StoredChannel } from "../storage/ChannelStorage.ts";
import { type DepositTransactionErrorType, depositTransaction } from "./depositTransaction.ts";
import { type DepositMethod, type DetectDepositMethodErrorType, detectDepositMethod } from "./detectDepositMethod.ts";
import { type EnsureChainErrorType, ensureChain } from "./ensureChain.ts";
import { pendingKeyOf, pendingKeyRecord } from "./pendingSessionKey.ts";
import { receiverLockName } from "./receiverLockName.ts";
import { type SponsoredOpenTransactionErrorType, sponsoredOpenTransaction } from "./sponsoredOpenTransaction.ts";
import { type VerifyChannelManagerErrorType, verifyChannelManager } from "./verifyChannelManager.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

/** Which channel manager to use: what a 402's requirements or the deployment file say. */
export type ManagerParameters = { chainId: number; contract: Address; token: Address };

export type OpenChannelParameters = ManagerParameters & {
  receiver: Address;
  /** Tokens to deposit, in base units. */
  deposit: bigint;
  /** Defaults to the client's signing mode. "session" generates a key and registers it as the delegated signer. */
  signing?: SigningMode | undefined;
  /**
   * What the session key may pay without asking (session signing only): the reader's choice, kept with the channel
   * and enforced by `pay`. Without it the channel's automatic payments have no limit of their own.
   */
  autoPay?: AutoPayLimit | undefined;
} & (
    | {
        /** Defaults to the best the token supports: permit, then ERC-1363, then approve. */
        method?: DepositMethod | undefined;
        sponsorUrl?: undefined;
      }
    | {
        /**
         * The receiver opens the channel and pays the gas: the account signs one EIP-3009 ReceiveWithAuthorization on a
         * token that has it (USDC), else a permit and an authorization, and sends nothing.
         */
        method: "sponsored";
        /**
         * Which of those requests to make: one the receiver's offer takes (`sponsoredOpenKind(offer, method)`). Default:
         * the one-signature request on an EIP-3009 token, else the permit-based one.
         */
        kind?: SponsoredOpenKind | undefined;
        /**
         * The receiver's sponsored-open endpoint, as an absolute URL: the `path` of a 402's RDN-Sponsored-Open
         * (`decodeSponsorOfferHeader`) resolved against the URL that answered 402, e.g.
         * `new URL(offer.path, response.url).href` = `https://receiver.example/api/1/sponsored-open`.
         */
        sponsorUrl: string;
      }
  );
export type OpenChannelReturnType = StoredChannel;
export type OpenChannelErrorType =
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | NoChannelOpenedErrorType
  | VerifyChannelManagerErrorType
  | ReceiverApiErrorType
  | UserRejectedRequestErrorType
  | CurrentAccountErrorType
  | EnsureChainErrorType
  | DetectDepositMethodErrorType
  | DepositTransactionErrorType
  | SponsoredOpenTransactionErrorType
  | WaitForSuccessErrorType
  | ErrorType;

/**
 * Opens a channel from the wallet's current account and stores it, after checking the manager is genuine
 * (`verifyChannelManager`). One transaction when the token supports
 * EIP-2612 (one signature + one transaction) or ERC-1363; approve + createChannel otherwise. In session mode a fresh
 * key is generated and registered as the channel's delegated signer in the same transaction, so later payments need
 * no prompt. With `method: "sponsored"` the account sends nothing and needs no ether: on an EIP-3009 token (USDC) it
 * signs one ReceiveWithAuthorization bound to the channel's terms and the receiver submits `openByReceiveAuthorization`;
 * on a permit token it signs a permit and an OpenAuthorization and the receiver submits `openOnBehalf`. The receiver at
 * `sponsorUrl` pays the gas, and the channel is taken from that transaction's receipt only if it is exactly the one
 * asked for (ReceiverApiError when the receiver refuses).
 *
 * @example
 * import { openChannel } from "@micro-raiden/web-client";
 * const channel = await openChannel(client, {
 *   chainId: 31337, contract: manager, token, receiver, deposit: 10n ** 18n,
 * });
 */
export async function openChannel(
  client: ChannelClient,
  parameters: OpenChannelParameters,
): Promise<OpenChannelReturnType> {
  const { receiver, deposit, contract, token } = parameters;
  const account = await currentAccount(client);
  const chain = await ensureChain(client, { chainId: parameters.chainId });
  // Before anything is signed or approved: a hostile 402 may name a contract that keeps deposits.
  await verifyChannelManager(client, { address: contract, chainId: parameters.chainId, token });
  const sessionKey = (parameters.signing ?? client.signing) === "session" ? generateSessionKey() : undefined;
  const delegatedSigner = sessionKey ? keyAddress(sessionKey) : undefined;
  const signer = delegatedSigner ?? zeroAddress;

  const manager = { chain, account, address: contract, abi: channelManagerAbi } as const;
  // Kept before anything is signed or sent: should this page die while the deposit is on its way, the next page finds
  // the channel on chain and adopts this key (refreshChannel) instead of asking the wallet for every payment.
  const pending = { chainId: parameters.chainId, contract, sender: account.address, receiver };
  if (sessionKey) {
    await client.lock(receiverLockName(pending), () =>
      client.storage.put(pendingKeyRecord({ ...pending, token }, sessionKey)),
    );
  }
  const hash =
    parameters.method === "sponsored"
      ? await sponsoredOpenTransaction(client, {
          account,
          chainId: parameters.chainId,
          contract,
          token,
          receiver,
          deposit,
          signer,
          url: parameters.sponsorUrl,
          // One signature on an EIP-3009 token (USDC), a permit and an authorization otherwise, unless the offer says.
          kind:
            parameters.kind ??
            ((await detectDepositMethod(client, { token })) === "eip3009" ? "receive-authorization" : "permit"),
        })
      : await depositTransaction(
          client,
          {
            chain,
            account,
            contract,
            token,
            method: parameters.method ?? (await detectDepositMethod(client, { token })),
          },
          {
            withPermit: (p) =>
              writeContract(client.walletClient, {
                ...manager,
                functionName: "createChannelWithPermit",
                args: [receiver, deposit, signer, p.deadline, p.v, p.r, p.s],
              }),
            withAllowance: () =>
              writeContract(client.walletClient, {
                ...manager,
                functionName: "createChannel",
                args: [receiver, deposit, signer],
              }),
            erc1363Data: delegatedSigner
              ? encodePacked(["address", "address"], [receiver, delegatedSigner])
              : encodePacked(["address"], [receiver]),
            amount: deposit,
          },
        );
  const receipt = await waitForSuccess(client, hash);
  // Exactly the channel asked for: a sponsored open's transaction hash comes from the receiver.
  const created = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs }).find(
    (log) =>
      isAddressEqual(log.address, contract) &&
      isAddressEqual(log.args.sender, account.address) &&
      isAddressEqual(log.args.receiver, receiver) &&
      log.args.deposit === deposit &&
      isAddressEqual(log.args.signer, signer),
  );
  if (!created) throw new NoChannelOpenedError({ hash, contract });
  const channel: StoredChannel = {
    chainId: parameters.chainId,
    contract,
    token,
    sender: created.args.sender,
    receiver: created.args.receiver,
    openBlock: created.args.openBlock,
    deposit: created.args.deposit,
    balance: 0n,
    balanceSignature: undefined,
    delegatedSigner,
    sessionKey,
    state: "open",
    settleBlock: undefined,
    ...(sessionKey && parameters.autoPay ? { autoPay: parameters.autoPay } : {}),
  };
  // Written under the receiver's lock, like every merge of chain state: a watcher that saw the ChannelCreated event
  // first (this page's watchChannels, another tab) refreshes the channel into storage without the session key, which
  // only this call knows. Unlocked, its write could land just after this one and the reader would be asked to sign
  // every payment from then on.
  return client.lock(receiverLockName(channel), async () => {
    const known = await client.storage.get(channel);
    const stored =
      known && known.balance > channel.balance
        ? { ...channel, balance: known.balance, balanceSignature: known.balanceSignature }
        : channel;
    await client.storage.put(stored);
    if (sessionKey) await client.storage.delete(pendingKeyOf(pending));
    return stored;
  });
}
