import type {
  Account,
  Address,
  GetBlockErrorType,
  Hash,
  Hex,
  ReadContractErrorType,
  SignTypedDataErrorType,
  UserRejectedRequestErrorType,
} from "viem";
import { getBlock, readContract, signTypedData } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { FetchErrorType } from "../errors/FetchErrorType.ts";
import { ReceiverApiError, type ReceiverApiErrorType } from "../errors/ReceiverApiError.ts";
import {
  channelManagerAbi,
  decodeErrorBody,
  decodeSponsoredOpenResponseBody,
  demoTokenAbi,
  encodeReceiveAuthorizationOpenRequestBody,
  encodeSponsoredOpenRequestBody,
  MalformedBodyError,
  openAuthorizationTypedData,
  openByReceiveAuthorizationTypedData,
  permitTypedData,
  type ReadTokenDomainErrorType,
  type ReceiveAuthorizationOpenRequestBody,
  readTokenDomain,
  type SponsoredOpenKind,
  type SponsoredOpenRequestBody,
} from "../protocol/index.ts";
import { splitSignature } from "../protocol/secp256k1.ts";

/**
 * How long the permit and the authorization stay valid, in seconds: long enough for the receiver to mine the open,
 * short enough that a receiver that answered with an error cannot hold them and open the channel much later.
 */
const authorizationLifetime = 600;

export type SponsoredOpenTransactionParameters = {
  account: Account;
  chainId: number;
  contract: Address;
  token: Address;
  receiver: Address;
  deposit: bigint;
  /** The delegated signer, or the zero address. */
  signer: Address;
  /** The receiver's sponsored-open endpoint (a 402's RDN-Sponsored-Open path on the receiver's origin). */
  url: string;
  /**
   * "receive-authorization": one EIP-3009 ReceiveWithAuthorization (`openByReceiveAuthorization`); "permit": an
   * EIP-2612 permit and an OpenAuthorization (`openOnBehalf`). One the receiver's offer takes (`sponsoredOpenKind`).
   */
  kind: SponsoredOpenKind;
};
export type SponsoredOpenTransactionErrorType =
  | ReceiverApiErrorType
  | UserRejectedRequestErrorType
  | ReadContractErrorType
  | ReadTokenDomainErrorType
  | GetBlockErrorType
  | SignTypedDataErrorType
  | FetchErrorType
  | ErrorType;

/**
 * Signs the open — on an EIP-3009 token one ReceiveWithAuthorization whose nonce binds the channel's terms, else an
 * EIP-2612 permit for the deposit and an OpenAuthorization; no transaction either way — posts it to the receiver, and
 * returns the hash of the transaction the receiver sent. A refusal, or an answer that is not the protocol's, is
 * ReceiverApiError; the caller checks the transaction's receipt itself.
 */
export async function sponsoredOpenTransaction(
  client: ChannelClient,
  parameters: SponsoredOpenTransactionParameters,
): Promise<Hash> {
  const body =
    parameters.kind === "receive-authorization"
      ? encodeReceiveAuthorizationOpenRequestBody(await signReceiveAuthorization(client, parameters))
      : encodeSponsoredOpenRequestBody(await signPermitAndAuthorization(client, parameters));
  const { url } = parameters;
  const response = await client.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorOf(answer);
    throw new ReceiverApiError({ status: response.status, url, code: error?.code, message: error?.message });
  }
  try {
    return decodeSponsoredOpenResponseBody(answer).transactionHash;
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) throw error;
    throw new ReceiverApiError({ status: response.status, url, message: error.shortMessage, cause: error });
  }
}

/** The one-signature request: a ReceiveWithAuthorization of the deposit to the manager over the channel's terms. */
async function signReceiveAuthorization(
  client: ChannelClient,
  parameters: SponsoredOpenTransactionParameters,
): Promise<ReceiveAuthorizationOpenRequestBody> {
  const { account, chainId, contract, token, receiver, deposit, signer } = parameters;
  const [tokenDomain, latest] = await Promise.all([
    readTokenDomain(client.publicClient, token),
    getBlock(client.publicClient, { blockTag: "latest" }),
  ]);
  const terms = {
    sender: account.address,
    receiver,
    deposit,
    signer,
    // By the chain's clock, which the token and the receiver judge it by.
    validBefore: latest.timestamp + BigInt(authorizationLifetime),
  };
  const signature = await signTypedData(client.walletClient, {
    account,
    ...openByReceiveAuthorizationTypedData(tokenDomain, { chainId, contract }, terms),
  });
  return { contract, token, ...terms, receiveAuthorizationSignature: canonical(signature) };
}

/** The permit-based request: an EIP-2612 permit for the deposit and an OpenAuthorization, two signatures. */
async function signPermitAndAuthorization(
  client: ChannelClient,
  parameters: SponsoredOpenTransactionParameters,
): Promise<SponsoredOpenRequestBody> {
  const { account, chainId, contract, token, receiver, deposit, signer } = parameters;
  const { publicClient, walletClient } = client;
  const [permitNonce, tokenDomain, nonce, latest] = await Promise.all([
    readContract(publicClient, { address: token, abi: demoTokenAbi, functionName: "nonces", args: [account.address] }),
    readTokenDomain(publicClient, token),
    readContract(publicClient, {
      address: contract,
      abi: channelManagerAbi,
      functionName: "openingNonces",
      args: [account.address],
    }),
    getBlock(publicClient, { blockTag: "latest" }),
  ]);
  // By the chain's clock, which the contract and the receiver judge it by: a reader's clock may be minutes off.
  const deadline = latest.timestamp + BigInt(authorizationLifetime);
  const permitSignature = await signTypedData(walletClient, {
    account,
    ...permitTypedData(tokenDomain, {
      owner: account.address,
      spender: contract,
      value: deposit,
      nonce: permitNonce,
      deadline,
    }),
  });
  const authorizationSignature = await signTypedData(walletClient, {
    account,
    ...openAuthorizationTypedData(
      { chainId, contract },
      { sender: account.address, receiver, deposit, signer, nonce, deadline },
    ),
  });
  return {
    contract,
    token,
    sender: account.address,
    receiver,
    deposit,
    signer,
    nonce,
    deadline,
    authorizationSignature: canonical(authorizationSignature),
    permitSignature: canonical(permitSignature),
  };
}

/** A signature with v as 27 or 28, as the protocol's codecs want it (some wallets answer 0 or 1). */
function canonical(signature: Hex): Hex {
  const { r, s, v } = splitSignature(signature);
  return `0x${r.slice(2)}${s.slice(2)}${v.toString(16)}`;
}

/** The error of a protocol error body, or undefined for anything else (a proxy's page, a framework's 404). */
function errorOf(body: unknown) {
  try {
    return decodeErrorBody(body).error;
  } catch {
    return undefined;
  }
}
