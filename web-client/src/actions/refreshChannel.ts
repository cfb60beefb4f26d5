import { type Address, type ReadContractErrorType, zeroAddress } from "viem";
import { readContract } from "viem/actions";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import type { ManagerParameters } from "./openChannel.ts";
import { pendingKeyOf, pendingSessionKey } from "./pendingSessionKey.ts";
import { receiverLockName } from "./receiverLockName.ts";

export type RefreshChannelParameters = ManagerParameters & {
  receiver: Address;
  openBlock: bigint;
  /** The channel's sender; defaults to the wallet's current account. */
  sender?: Address | undefined;
};
export type RefreshChannelReturnType = StoredChannel;
export type RefreshChannelErrorType = NotConnectedErrorType | ReadContractErrorType | ErrorType;

/**
 * Reads one channel's on-chain state (deposit, withdrawn amount, close, delegated signer) and merges it into
 * storage under the receiver's lock: balances known locally are kept, never lowered below what was withdrawn.
 *
 * @example
 * import { refreshChannel } from "@micro-raiden/web-client";
 * const channel = await refreshChannel(client, { chainId, contract, token, receiver, openBlock: 12n });
 */
export async function refreshChannel(
  client: ChannelClient,
  parameters: RefreshChannelParameters,
): Promise<RefreshChannelReturnType> {
  const { chainId, contract, token, receiver, openBlock } = parameters;
  const sender = parameters.sender ?? connectedAddress(client);
  const key = { chainId, contract, sender, receiver, openBlock };
  const [, deposit, withdrawn, settleBlock, , signer] = await readContract(client.publicClient, {
    address: contract,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [sender, receiver, openBlock],
  });
  // Merge under the receiver's lock: a payment recorded meanwhile must not be overwritten by the older balance.
  return client.lock(receiverLockName(key), async () => {
    const known = await client.storage.get(key);
    const delegatedSigner = signer === zeroAddress ? undefined : signer;
    // A channel whose opening page died before its receipt: its session key was kept as pending (openChannel).
    const adopted = known?.sessionKey ? undefined : await pendingSessionKey(client.storage, key, delegatedSigner);
    const channel: StoredChannel = {
      ...key,
      token,
      deposit: deposit === 0n ? (known?.deposit ?? 0n) : deposit,
      // The receiver cannot have been paid less than it withdrew.
      balance: (known?.balance ?? 0n) > withdrawn ? (known?.balance ?? 0n) : withdrawn,
      balanceSignature: (known?.balance ?? 0n) >= withdrawn ? known?.balanceSignature : undefined,
      delegatedSigner,
      sessionKey: known?.sessionKey ?? adopted,
      // The sender's off-chain delegation of that key (delegateSigner): without it the key's proofs pay nothing.
      ...(known?.sessionKey && known.signerDelegation ? { signerDelegation: known.signerDelegation } : {}),
      state: deposit === 0n ? "closed" : settleBlock === 0n ? "open" : "closing",
      settleBlock: settleBlock === 0n ? undefined : settleBlock,
      ...(known?.autoPay ? { autoPay: known.autoPay } : {}),
      ...(known?.autoPaidAt ? { autoPaidAt: known.autoPaidAt } : {}),
    };
    await client.storage.put(channel);
    if (adopted) await client.storage.delete(pendingKeyOf(key));
    return channel;
  });
}
