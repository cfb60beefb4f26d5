import type { Connection } from "../client/Connection.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";

export type WatchConnectionParameters = {
  /** Called after every change of account, chain or status, with the new and the previous connection. */
  onChange: (connection: Connection, previous: Connection) => void;
};
export type WatchConnectionReturnType = () => void;

/**
 * Follows the wallet's account and chain: `onChange` runs when the reader switches account or chain in the wallet,
 * connects or disconnects. Returns `unwatch`.
 *
 * @example
 * import { getConnection, watchConnection } from "@micro-raiden/web-client";
 * import { useSyncExternalStore } from "react";
 * const connection = useSyncExternalStore(
 *   (onStoreChange) => watchConnection(client, { onChange: onStoreChange }),
 *   () => getConnection(client),
 * );
 */
export function watchConnection(
  client: ChannelClient,
  parameters: WatchConnectionParameters,
): WatchConnectionReturnType {
  return client.connection.subscribe(parameters.onChange);
}
