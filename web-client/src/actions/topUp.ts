import { encodePacked } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { ensureChain } from "../client/ensureChain.ts";
import { channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { type DepositMethod, depositTransaction, detectDepositMethod, waitForSuccess } from "./openChannel.ts";

/**
 * Adds `amount` tokens to an open channel (permit, ERC-1363 or approve, as for opening) and stores the new deposit.
 *
 * @example
 * import { topUp } from "@micro-raiden/web-client";
 * const channel = await topUp(client, { channel, amount: 5n * 10n ** 18n });
 */
export async function topUp(
  client: ChannelClient,
  parameters: { channel: StoredChannel; amount: bigint; method?: DepositMethod | undefined },
): Promise<StoredChannel> {
  const { channel, amount } = parameters;
  const chain = await ensureChain(client, channel.chainId);
  const method = parameters.method ?? (await detectDepositMethod(client, channel.token));
  const manager = { chain, address: channel.contract, abi: channelManagerAbi } as const;
  const hash = await depositTransaction(client, chain, channel, method, {
    withPermit: (p) =>
      client.walletClient.writeContract({
        ...manager,
        functionName: "topUpWithPermit",
        args: [channel.receiver, channel.openBlock, amount, p.deadline, p.v, p.r, p.s],
      }),
    withAllowance: () =>
      client.walletClient.writeContract({
        ...manager,
        functionName: "topUp",
        args: [channel.receiver, channel.openBlock, amount],
      }),
    erc1363Data: encodePacked(["address", "uint64"], [channel.receiver, channel.openBlock]),
    amount,
  });
  await waitForSuccess(client, hash);
  // Re-read under the storage's latest state: a payment may have been recorded meanwhile.
  const latest = (await client.storage.get(channel)) ?? channel;
  const updated = { ...latest, deposit: latest.deposit + amount };
  await client.storage.put(updated);
  return updated;
}
