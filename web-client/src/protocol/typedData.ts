import type { Address, TypedDataDomain } from "viem";

/**
 * EIP-712 domain name and version of the channel manager. The contract passes the same strings to OpenZeppelin's
 * `EIP712` constructor and a contract test checks `eip712Domain()` against them.
 */
export const domainName = "MicroRaiden";
export const domainVersion = "1";

/**
 * The two signed message types. The sender (or its channel's delegated session key) signs a `BalanceProof`: the
 * cumulative amount the receiver may take. The receiver signs a `ClosingAgreement` over the same fields to let
 * the sender close the channel at once. Distinct type names give distinct type hashes, so one can never be
 * passed off as the other; the sender, receiver and open block pin a proof to one channel, and the domain pins
 * it to one contract on one chain.
 */
export const channelTypes = {
  BalanceProof: [
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "openBlock", type: "uint64" },
    { name: "balance", type: "uint256" },
  ],
  ClosingAgreement: [
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "openBlock", type: "uint64" },
    { name: "balance", type: "uint256" },
  ],
  // Off-chain only: the sender asks the receiver for its closing agreement. A type of its own (with a deadline)
  // so that no balance proof, which the receiver may have published on chain, can be replayed to ask for it.
  CloseRequest: [
    { name: "sender", type: "address" },
    { name: "receiver", type: "address" },
    { name: "openBlock", type: "uint64" },
    { name: "balance", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

/** A channel's identity: µRaiden's (sender, receiver, openBlock) triple. */
export type ChannelId = {
  sender: Address;
  receiver: Address;
  openBlock: bigint;
};

/** The contract and chain a signature is bound to. */
export type DomainParameters = {
  chainId: number;
  contract: Address;
};

/**
 * The EIP-712 domain of a channel manager deployment.
 *
 * @example
 * import { getDomain } from "@micro-raiden/web-client/protocol";
 * const domain = getDomain({ chainId: 31337, contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
 */
export function getDomain({ chainId, contract }: DomainParameters) {
  return {
    name: domainName,
    version: domainVersion,
    chainId,
    verifyingContract: contract,
  } as const satisfies TypedDataDomain;
}

/** What a balance proof or closing agreement is over: a channel and its new cumulative balance. */
export type ChannelBalance = ChannelId & { balance: bigint };

/**
 * The full typed data of a balance proof, ready for viem's `signTypedData`, `hashTypedData` or
 * `recoverTypedDataAddress` (viem's wallet `signTypedData` sends it to MetaMask's `eth_signTypedData_v4` for you).
 * To call `eth_signTypedData_v4` yourself, pass `serializeTypedDataV4(typedData)` as the second parameter: plain
 * `JSON.stringify` throws on the bigint fields, and without an `EIP712Domain` entry in `types` (which these
 * definitions leave out, as viem wants them) MetaMask's signer hashes an empty domain.
 *
 * @example
 * import { balanceProofTypedData } from "@micro-raiden/web-client/protocol";
 * const signature = await account.signTypedData(
 *   balanceProofTypedData({ chainId, contract }, { sender, receiver, openBlock: 12n, balance: 1000n }),
 * );
 */
export function balanceProofTypedData(domain: DomainParameters, message: ChannelBalance) {
  return {
    domain: getDomain(domain),
    types: channelTypes,
    primaryType: "BalanceProof",
    message,
  } as const;
}

/**
 * The full typed data of a receiver's closing agreement (see {@link balanceProofTypedData}).
 *
 * @example
 * import { closingAgreementTypedData } from "@micro-raiden/web-client/protocol";
 * const closingSignature = await receiverAccount.signTypedData(
 *   closingAgreementTypedData({ chainId, contract }, { sender, receiver, openBlock: 12n, balance: 1000n }),
 * );
 */
export function closingAgreementTypedData(domain: DomainParameters, message: ChannelBalance) {
  return {
    domain: getDomain(domain),
    types: channelTypes,
    primaryType: "ClosingAgreement",
    message,
  } as const;
}

/** A close request: the channel, the balance to close at, and until when (unix seconds) the request is valid. */
export type CloseRequest = ChannelBalance & { deadline: bigint };

/**
 * The typed data of a sender's close request, sent to the receiver's `DELETE /channels/<sender>/<openBlock>` to
 * get its closing agreement. Signed by the sender or the channel's session key; checked by the receiver only.
 *
 * @example
 * import { closeRequestTypedData } from "@micro-raiden/web-client/protocol";
 * const deadline = BigInt(Math.floor(Date.now() / 1000) + 600);
 * const signature = await account.signTypedData(
 *   closeRequestTypedData({ chainId, contract }, { sender, receiver, openBlock: 12n, balance: 1000n, deadline }),
 * );
 */
export function closeRequestTypedData(domain: DomainParameters, message: CloseRequest) {
  return {
    domain: getDomain(domain),
    types: channelTypes,
    primaryType: "CloseRequest",
    message,
  } as const;
}
