import type { RequestErrorType } from "viem/utils";
import type { Connection } from "../client/Connection.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { selectedAccount } from "../client/selectedAccount.ts";
import { walletChainId } from "../client/walletChainId.ts";
import type { ErrorType } from "../errors/ErrorType.ts";

export type ReconnectReturnType = Connection;
export type ReconnectErrorType = RequestErrorType | ErrorType;

/**
 * Connects without a prompt when the wallet already allows this site (`eth_accounts` is not empty), as on a page
 * load after an earlier `connect`; otherwise stays disconnected.
 *
 * @example
 * import { createChannelClient, reconnect } from "@micro-raiden/web-client";
 * const client = createChannelClient({ provider: window.ethereum });
 * const { status } = await reconnect(client); // "connected" without a prompt, or "disconnected"
 */
export async function reconnect(client: ChannelClient): Promise<ReconnectReturnType> {
  const address = client.account
    ? client.account.address
    : selectedAccount(await client.walletClient.request({ method: "eth_accounts" }));
  const chainId = walletChainId(await client.publicClient.request({ method: "eth_chainId" }));
  const connection: Connection = address
    ? { status: "connected", address, chainId }
    : { status: "disconnected", address: undefined, chainId };
  client.connection.setState(connection);
  if (address) client.connection.follow();
  return client.connection.getState();
}
