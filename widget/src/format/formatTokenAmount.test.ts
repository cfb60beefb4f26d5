// Amounts the reader sees and types: from bigints and decimal strings only, in the reader's locale.
import { describe, expect, it } from "vitest";
import { formatTokenAmount, parseTokenAmount, tokenAmountInput } from "./formatTokenAmount.ts";

const tkn = { symbol: "TKN", decimals: 18 };

describe("formatTokenAmount", () => {
  it("shows token units with the symbol, never base units", () => {
    expect(formatTokenAmount(10n ** 15n, tkn)).toBe("0.001 TKN");
    expect(formatTokenAmount(0n, tkn)).toBe("0 TKN");
    expect(formatTokenAmount(1_500_000n, { symbol: "USDC", decimals: 6 })).toBe("1.5 USDC");
  });

  it("keeps every digit of amounts a float would round", () => {
    expect(formatTokenAmount(123_456_789_012_345_678_901_234_567n, tkn)).toBe("123,456,789.012345678901234567 TKN");
    expect(formatTokenAmount(1n, tkn)).toBe("0.000000000000000001 TKN");
  });

  it("groups and separates as the locale does", () => {
    expect(formatTokenAmount(1_234_567_500_000_000_000_000_000n, tkn, "de")).toBe("1.234.567,5 TKN");
  });
});

describe("parseTokenAmount", () => {
  it("reads what the reader typed, in their locale", () => {
    expect(parseTokenAmount("0.1", 18)).toBe(10n ** 17n);
    expect(parseTokenAmount("0,1", 18, "de")).toBe(10n ** 17n);
    expect(parseTokenAmount("2", 6)).toBe(2_000_000n);
    expect(parseTokenAmount(".5", 1)).toBe(5n);
  });

  it("refuses what is not an amount, or finer than the token's decimals", () => {
    for (const text of ["", ".", "abc", "1e3", "-1", "0.1234567", "1.2.3"]) {
      expect(parseTokenAmount(text, 6), text).toBeUndefined();
    }
  });

  it("round-trips the default deposit it offers", () => {
    const amount = 123_000_000_000_000_000n;
    expect(parseTokenAmount(tokenAmountInput(amount, 18, "de"), 18, "de")).toBe(amount);
  });
});
