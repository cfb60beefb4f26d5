import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { assertChannelSender } from "../client/assertChannelSender.ts";
import { channelAccount } from "../client/channelAccount.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { balanceProofTypedData, closeRequestTypedData } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { ensureChain } from "./ensureChain.ts";

/**
 * Signs a channel's typed data (a balance proof or a close request): with its session key when it has one and the
 * client signs with session keys (no prompt), otherwise with the wallet on the channel's chain. Either way only
 * while the wallet's current account is the channel's sender.
 */
export async function signForChannel(
  client: ChannelClient,
  channel: StoredChannel,
  typedData: ReturnType<typeof balanceProofTypedData> | ReturnType<typeof closeRequestTypedData>,
): Promise<Hex> {
  if (client.signing === "session" && channel.sessionKey) {
    assertChannelSender(client, channel);
    return privateKeyToAccount(channel.sessionKey).signTypedData(typedData);
  }
  const account = await channelAccount(client, channel);
  await ensureChain(client, { chainId: channel.chainId });
  return client.walletClient.signTypedData({ ...typedData, account });
}
