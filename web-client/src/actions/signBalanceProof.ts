import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { balanceProofTypedData, type closeRequestTypedData } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";

/**
 * Signs a balance proof for `channel` at `balance`: with the channel's session key when it has one and the client
 * signs with session keys (no prompt), otherwise with the wallet (`eth_signTypedData_v4`, one prompt).
 *
 * @example
 * import { signBalanceProof } from "@micro-raiden/web-client";
 * const signature = await signBalanceProof(client, { channel, balance: channel.balance + 1000n });
 */
export async function signBalanceProof(
  client: ChannelClient,
  { channel, balance }: { channel: StoredChannel; balance: bigint },
): Promise<Hex> {
  return signForChannel(
    client,
    channel,
    balanceProofTypedData(channelDomain(channel), channelMessage(channel, balance)),
  );
}

/**
 * Signs a channel's typed data (a balance proof or a close request): with its session key when it has one and
 * the client signs with session keys (no prompt), otherwise with the wallet.
 */
export function signForChannel(
  client: ChannelClient,
  channel: StoredChannel,
  typedData: ReturnType<typeof balanceProofTypedData> | ReturnType<typeof closeRequestTypedData>,
): Promise<Hex> {
  if (client.signing === "session" && channel.sessionKey) {
    return privateKeyToAccount(channel.sessionKey).signTypedData(typedData);
  }
  return client.walletClient.signTypedData({ ...typedData, account: client.walletClient.account });
}
