/** A chain id as a wallet reports it (a hex string, from some wallets a number), validated. */
export function walletChainId(value: unknown): number | undefined {
  const parsed = typeof value === "string" && /^0x[0-9a-fA-F]{1,13}$/.test(value) ? Number.parseInt(value, 16) : value;
  return typeof parsed === "number" && Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}
