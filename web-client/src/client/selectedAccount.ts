import { type Address, getAddress, isAddress } from "viem";

/** The selected account in what a wallet says its accounts are (the first), validated; undefined when none. */
export function selectedAccount(accounts: unknown): Address | undefined {
  if (!Array.isArray(accounts)) return undefined;
  const [first]: unknown[] = accounts;
  return typeof first === "string" && isAddress(first, { strict: false }) ? getAddress(first) : undefined;
}
