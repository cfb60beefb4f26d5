import type { UserRejectedRequestErrorType } from "viem";
import type { RequestErrorType } from "viem/utils";
import type { Connection } from "../client/Connection.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { selectedAccount } from "../client/selectedAccount.ts";
import { walletChainId } from "../client/walletChainId.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { NoAccountErrorType } from "../errors/NoAccountError.ts";
import { NoAccountError } from "../errors/NoAccountError.ts";

export type ConnectReturnType = Extract<Connection, { status: "connected" }>;
/** viem's UserRejectedRequestError when the reader clicks "Reject" (unwrapped); other failures as viem reports them. */
export type ConnectErrorType = NoAccountErrorType | UserRejectedRequestErrorType | RequestErrorType | ErrorType;

/**
 * Connects to the wallet: asks it for the reader's account (`eth_requestAccounts`, the wallet's prompt) and its
 * chain, then follows its `accountsChanged` and `chainChanged` events. A client with a private key is connected
 * already; this only reads its chain.
 *
 * @example
 * import { connect, createChannelClient } from "@micro-raiden/web-client";
 * const client = createChannelClient({ provider: window.ethereum });
 * const { address, chainId } = await connect(client);
 */
export async function connect(client: ChannelClient): Promise<ConnectReturnType> {
  const address = client.account
    ? client.account.address
    : selectedAccount(await client.walletClient.request({ method: "eth_requestAccounts" }, { retryCount: 0 }));
  if (!address) throw new NoAccountError();
  const chainId = walletChainId(await client.publicClient.request({ method: "eth_chainId" }));
  const connection: ConnectReturnType = { status: "connected", address, chainId };
  client.connection.setState(connection);
  client.connection.follow();
  return connection;
}
