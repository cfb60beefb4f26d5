import { type Address, encodePacked, parseEventLogs, type UserRejectedRequestErrorType, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { ChannelClient, SigningMode } from "../client/createChannelClient.ts";
import { currentAccount } from "../client/currentAccount.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import { NoChannelOpenedError, type NoChannelOpenedErrorType } from "../errors/NoChannelOpenedError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { TransactionRevertedErrorType } from "../errors/TransactionRevertedError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { depositTransaction } from "./depositTransaction.ts";
import { type DepositMethod, detectDepositMethod } from "./detectDepositMethod.ts";
import { ensureChain } from "./ensureChain.ts";
import { type VerifyChannelManagerErrorType, verifyChannelManager } from "./verifyChannelManager.ts";
import { waitForSuccess } from "./waitForSuccess.ts";

/** Which channel manager to use: what a 402's requirements or the deployment file say. */
export type ManagerParameters = { chainId: number; contract: Address; token: Address };

export type OpenChannelParameters = ManagerParameters & {
  receiver: Address;
  /** Tokens to deposit, in base units. */
  deposit: bigint;
  /** Defaults to the client's signing mode. "session" generates a key and registers it as the delegated signer. */
  signing?: SigningMode | undefined;
  /** Defaults to the best the token supports: permit, then ERC-1363, then approve. */
  method?: DepositMethod | undefined;
};
export type OpenChannelReturnType = StoredChannel;
export type OpenChannelErrorType =
  | NotConnectedErrorType
  | WrongChainErrorType
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | NoChannelOpenedErrorType
  | VerifyChannelManagerErrorType
  | UserRejectedRequestErrorType;

/**
 * Opens a channel from the wallet's current account and stores it, after checking the manager is genuine
 * (`verifyChannelManager`). One transaction when the token supports
 * EIP-2612 (one signature + one transaction) or ERC-1363; approve + createChannel otherwise. In session mode a fresh
 * key is generated and registered as the channel's delegated signer in the same transaction, so later payments need
 * no prompt.
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
  const sessionKey = (parameters.signing ?? client.signing) === "session" ? generatePrivateKey() : undefined;
  const delegatedSigner = sessionKey ? privateKeyToAccount(sessionKey).address : undefined;
  const method = parameters.method ?? (await detectDepositMethod(client, { token }));
  const signer = delegatedSigner ?? zeroAddress;

  const manager = { chain, account, address: contract, abi: channelManagerAbi } as const;
  const hash = await depositTransaction(
    client,
    { chain, account, contract, token, method },
    {
      withPermit: (p) =>
        client.walletClient.writeContract({
          ...manager,
          functionName: "createChannelWithPermit",
          args: [receiver, deposit, signer, p.deadline, p.v, p.r, p.s],
        }),
      withAllowance: () =>
        client.walletClient.writeContract({
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
  const created = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs }).find(
    (log) => log.address.toLowerCase() === contract.toLowerCase(),
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
  };
  await client.storage.put(channel);
  return channel;
}
