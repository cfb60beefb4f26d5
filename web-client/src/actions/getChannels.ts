import type { Address } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";

/**
 * The client's stored channels on one manager, optionally to one receiver (several per receiver are allowed).
 *
 * @example
 * import { getChannels } from "@micro-raiden/web-client";
 * const channels = await getChannels(client, { chainId: 31337, contract: manager, receiver });
 */
export function getChannels(
  client: ChannelClient,
  filter: { chainId: number; contract: Address; receiver?: Address | undefined },
): Promise<StoredChannel[]> {
  return client.storage.list({
    chainId: filter.chainId,
    contract: filter.contract,
    sender: client.account,
    ...(filter.receiver ? { receiver: filter.receiver } : {}),
  });
}
