import type { ChannelClient } from "../client/createChannelClient.ts";

export type DisconnectReturnType = undefined;
export type DisconnectErrorType = never;

/**
 * Forgets the wallet's account and stops following its events: nothing is signed or sent until the next `connect`.
 * (Wallets offer no way for a site to revoke its own permission; the reader does that in the wallet.) A client with
 * a private key stays connected.
 *
 * @example
 * import { disconnect } from "@micro-raiden/web-client";
 * disconnect(client);
 */
export function disconnect(client: ChannelClient): DisconnectReturnType {
  if (client.account) return;
  client.connection.unfollow();
  client.connection.setState({ status: "disconnected", address: undefined, chainId: undefined });
}
