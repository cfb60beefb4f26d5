import type { Account, JsonRpcAccount } from "viem";
import type { RequestErrorType } from "viem/utils";
import type { ErrorType } from "../errors/ErrorType.ts";
import { NotConnectedError, type NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { PaymentClient } from "./PaymentClient.ts";
import { selectedAccount } from "./selectedAccount.ts";

/** No connection or no selected account, or the wallet's `eth_accounts` failed. */
export type CurrentAccountErrorType = NotConnectedErrorType | RequestErrorType | ErrorType;

/**
 * The account to sign or send a transaction with: the client's own (a private key), or the account the wallet has
 * selected right now. The wallet is asked (`eth_accounts`, no prompt) rather than trusting its last event, so a
 * switch of account in the wallet is never missed; the connection is updated with the answer.
 */
export async function currentAccount(client: PaymentClient): Promise<Account> {
  if (client.account) return client.account;
  if (client.connection.getState().status === "disconnected") throw new NotConnectedError();
  const address = selectedAccount(await client.walletClient.request({ method: "eth_accounts" }));
  const { chainId } = client.connection.getState();
  client.connection.setState(
    address ? { status: "connected", address, chainId } : { status: "disconnected", address: undefined, chainId },
  );
  if (!address) throw new NotConnectedError();
  const account: JsonRpcAccount = { address, type: "json-rpc" };
  return account;
}
