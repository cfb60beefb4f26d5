import type { Address } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { receiverLockName } from "./pay.ts";

export type SyncChannelsParameters = {
  chainId: number;
  contract: Address;
  token: Address;
  /** Where to start reading events: the deployment file's `deploymentBlock`. */
  fromBlock: bigint;
};

/**
 * Rebuilds the client's channels from the chain: every channel the account opened on this manager, with its
 * current deposit and state. Balances already known locally are kept; a channel found only on chain starts at 0
 * and learns its balance from the receiver's echo on the next payment (adopted only if the echoed proof is ours).
 * Session keys cannot be recovered: such channels are paid with the wallet from then on.
 *
 * @example
 * import { syncChannels } from "@micro-raiden/web-client";
 * const channels = await syncChannels(client, { chainId, contract, token, fromBlock: 2n });
 */
export async function syncChannels(
  client: ChannelClient,
  parameters: SyncChannelsParameters,
): Promise<StoredChannel[]> {
  const { publicClient, account } = client;
  const created = await publicClient.getContractEvents({
    address: parameters.contract,
    abi: channelManagerAbi,
    eventName: "ChannelCreated",
    args: { sender: account },
    fromBlock: parameters.fromBlock,
    strict: true,
  });
  const result: StoredChannel[] = [];
  for (const event of created) {
    result.push(await refreshChannel(client, parameters, event.args.receiver, event.args.openBlock));
  }
  return result;
}

/**
 * Reads one channel's on-chain state and merges it into storage.
 *
 * @example
 * import { refreshChannel } from "@micro-raiden/web-client";
 * const channel = await refreshChannel(client, { chainId, contract, token }, receiver, 12n);
 */
export async function refreshChannel(
  client: ChannelClient,
  manager: { chainId: number; contract: Address; token: Address },
  receiver: Address,
  openBlock: bigint,
): Promise<StoredChannel> {
  const key = { chainId: manager.chainId, contract: manager.contract, sender: client.account, receiver, openBlock };
  const [, deposit, withdrawn, settleBlock, , signer] = await client.publicClient.readContract({
    address: manager.contract,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [client.account, receiver, openBlock],
  });
  // Merge under the receiver's lock: a payment recorded meanwhile must not be overwritten by the older balance.
  return client.lock(receiverLockName(key), async () => {
    const known = await client.storage.get(key);
    const zero = "0x0000000000000000000000000000000000000000";
    const channel: StoredChannel = {
      ...key,
      token: manager.token,
      deposit: deposit === 0n ? (known?.deposit ?? 0n) : deposit,
      // The receiver cannot have been paid less than it withdrew.
      balance: (known?.balance ?? 0n) > withdrawn ? (known?.balance ?? 0n) : withdrawn,
      balanceSignature: (known?.balance ?? 0n) >= withdrawn ? known?.balanceSignature : undefined,
      delegatedSigner: signer === zero ? undefined : signer,
      sessionKey: known?.sessionKey,
      state: deposit === 0n ? "closed" : settleBlock === 0n ? "open" : "closing",
      settleBlock: settleBlock === 0n ? undefined : settleBlock,
    };
    await client.storage.put(channel);
    return channel;
  });
}
