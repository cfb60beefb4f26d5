import { type Address, type Hex, isAddressEqual } from "viem";
import { recoverTypedDataSigner } from "./secp256k1.ts";
import { type SignerDelegation, signerDelegationTypedData } from "./signerDelegationTypedData.ts";
import {
  balanceProofTypedData,
  type ChannelBalance,
  type CloseRequest,
  closeRequestTypedData,
  closingAgreementTypedData,
  type DomainParameters,
} from "./typedData.ts";
import { signatureDefect } from "./wire.ts";

export type VerifyBalanceProofParameters = {
  domain: DomainParameters;
  message: ChannelBalance;
  signature: Hex;
  /** The channel's delegated signer (session key), if it has one. */
  delegatedSigner?: Address | undefined;
};

/**
 * Whether `signature` is a balance proof for exactly this channel, balance, contract and chain, signed by the
 * channel's sender or its delegated signer, in the form the contract accepts (65 bytes, low s). Never throws on a
 * bad signature: it is simply not valid.
 *
 * @example
 * import { verifyBalanceProof } from "@micro-raiden/web-client/protocol";
 * const ok = await verifyBalanceProof({
 *   domain: { chainId: 31337, contract: manager },
 *   message: { sender, receiver, openBlock: 12n, balance: 5000n },
 *   signature,
 * });
 */
export async function verifyBalanceProof(parameters: VerifyBalanceProofParameters): Promise<boolean> {
  const { domain, message, signature, delegatedSigner } = parameters;
  return isChannelSigner(
    await recover(balanceProofTypedData(domain, message), signature),
    message.sender,
    delegatedSigner,
  );
}

/**
 * Whether `signature` is the receiver's closing agreement for exactly this channel and balance.
 *
 * @example
 * import { verifyClosingSignature } from "@micro-raiden/web-client/protocol";
 * const ok = await verifyClosingSignature({ domain, message: { sender, receiver, openBlock, balance }, signature });
 */
export async function verifyClosingSignature(parameters: {
  domain: DomainParameters;
  message: ChannelBalance;
  signature: Hex;
}): Promise<boolean> {
  const { domain, message, signature } = parameters;
  const signer = await recover(closingAgreementTypedData(domain, message), signature);
  return !!signer && isAddressEqual(signer, message.receiver);
}

/**
 * Whether `signature` is the sender's (or its delegated signer's) close request for exactly this channel, balance
 * and deadline. The caller checks the deadline against its clock.
 *
 * @example
 * import { verifyCloseRequest } from "@micro-raiden/web-client/protocol";
 * const ok = await verifyCloseRequest({ domain, message: { sender, receiver, openBlock, balance, deadline }, signature });
 */
export async function verifyCloseRequest(parameters: {
  domain: DomainParameters;
  message: CloseRequest;
  signature: Hex;
  delegatedSigner?: Address | undefined;
}): Promise<boolean> {
  const { domain, message, signature, delegatedSigner } = parameters;
  return isChannelSigner(
    await recover(closeRequestTypedData(domain, message), signature),
    message.sender,
    delegatedSigner,
  );
}

/**
 * Whether `signature` is the channel sender's `SignerDelegation` of exactly this channel to `signer`, on this
 * contract and chain. The receiver can never be the delegate (the contract refuses it too).
 *
 * @example
 * import { verifySignerDelegation } from "@micro-raiden/web-client/protocol";
 * const ok = await verifySignerDelegation({ domain, message: { sender, receiver, openBlock, signer }, signature });
 */
export async function verifySignerDelegation(parameters: {
  domain: DomainParameters;
  message: SignerDelegation;
  signature: Hex;
}): Promise<boolean> {
  const { domain, message, signature } = parameters;
  if (isAddressEqual(message.signer, message.receiver)) return false;
  const delegator = await recover(signerDelegationTypedData(domain, message), signature);
  return !!delegator && isAddressEqual(delegator, message.sender);
}

async function recover(
  typedData:
    | ReturnType<typeof balanceProofTypedData>
    | ReturnType<typeof closingAgreementTypedData>
    | ReturnType<typeof closeRequestTypedData>
    | ReturnType<typeof signerDelegationTypedData>,
  signature: Hex,
): Promise<Address | undefined> {
  if (signatureDefect(signature)) return undefined;
  try {
    return await recoverTypedDataSigner(typedData, signature);
  } catch {
    // An (r, s) that is not a point on the curve: no signer.
    return undefined;
  }
}

/** Whether `signer` may sign for the channel of `sender`: the sender itself or the channel's delegated signer. */
function isChannelSigner(signer: Address | undefined, sender: Address, delegatedSigner: Address | undefined): boolean {
  if (!signer) return false;
  return isAddressEqual(signer, sender) || (!!delegatedSigner && isAddressEqual(signer, delegatedSigner));
}
