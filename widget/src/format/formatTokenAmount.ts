import { formatUnits } from "viem";

export type TokenInfo = { symbol: string; decimals: number };

/**
 * An amount in base units as the reader reads it: "0.001 TKN", with the locale's digit grouping and decimal
 * separator. Works on the bigint and its decimal string only, so no precision is lost to floating point.
 *
 * @example
 * formatTokenAmount(10n ** 15n, { symbol: "TKN", decimals: 18 }, "en"); // "0.001 TKN"
 */
export function formatTokenAmount(amount: bigint, token: TokenInfo, locale = "en"): string {
  const negative = amount < 0n;
  const [whole = "0", fraction] = formatUnits(negative ? -amount : amount, token.decimals).split(".");
  const format = new Intl.NumberFormat(locale);
  const grouped = format.format(BigInt(whole));
  const separator = decimalSeparator(locale);
  return `${negative ? "-" : ""}${grouped}${fraction ? separator + fraction : ""} ${token.symbol}`;
}

/**
 * Reads what the reader typed ("0.1", "0,1" in German) as base units, or undefined when it is not an amount.
 *
 * @example
 * parseTokenAmount("0,1", 18, "de"); // 100000000000000000n
 */
export function parseTokenAmount(text: string, decimals: number, locale = "en"): bigint | undefined {
  const normalized = text.trim().replace(decimalSeparator(locale), ".");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(normalized);
  if (!match || normalized === "" || normalized === ".") return undefined;
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) return undefined;
  return BigInt(match[1] || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** The amount as the reader types it back: no grouping, the locale's decimal separator, no symbol. */
export function tokenAmountInput(amount: bigint, decimals: number, locale = "en"): string {
  return formatUnits(amount, decimals).replace(".", decimalSeparator(locale));
}

function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
}
