import type { ChannelClient } from "../client/createChannelClient.ts";
import { ensureChain } from "../client/ensureChain.ts";
import { mapContractError } from "../client/mapContractError.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { waitForSuccess } from "./openChannel.ts";

/**
 * Pays out a channel after an uncooperative close once its challenge period is over. Before that the contract
 * refuses with `ChallengePeriodNotOver` (a ChannelManagerRevertError).
 *
 * @example
 * import { settleChannel } from "@micro-raiden/web-client";
 * const settled = await settleChannel(client, { channel });
 */
export async function settleChannel(
  client: ChannelClient,
  { channel }: { channel: StoredChannel },
): Promise<StoredChannel> {
  const chain = await ensureChain(client, channel.chainId);
  const hash = await client.walletClient
    .writeContract({
      chain,
      address: channel.contract,
      abi: channelManagerAbi,
      functionName: "settle",
      args: [channel.sender, channel.receiver, channel.openBlock],
    })
    .catch((error: unknown) => {
      throw mapContractError(error);
    });
  await waitForSuccess(client, hash);
  const settled: StoredChannel = { ...((await client.storage.get(channel)) ?? channel), state: "closed" };
  await client.storage.put(settled);
  return settled;
}
