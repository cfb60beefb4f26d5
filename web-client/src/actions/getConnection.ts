import type { Connection } from "../client/Connection.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";

export type GetConnectionReturnType = Connection;

/**
 * The wallet's current account and chain as the client follows them. The same object until something changes, so
 * it can be React's `useSyncExternalStore` snapshot (with `watchConnection` as its subscribe).
 *
 * @example
 * import { getConnection } from "@micro-raiden/web-client";
 * const { status, address, chainId } = getConnection(client);
 */
export function getConnection(client: ChannelClient): GetConnectionReturnType {
  return client.connection.getState();
}
