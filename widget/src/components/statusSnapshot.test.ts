// The status bar's last figures in the site's localStorage: kept per site, figures only, and anything stored that
// does not read as figures is not shown.
import type { PaymentRequirements } from "@micro-raiden/web-client";
import { renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { type StatusSnapshot, saveStatusSnapshot, useStatusSnapshot } from "./statusSnapshot.ts";

const site = (receiver: `0x${string}`): PaymentRequirements => ({
  chainId: 1337,
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  receiver,
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  price: 10n ** 15n,
  gatewayPath: "/api/1",
});

const one = site("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
const other = site("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");

const figures: StatusSnapshot = {
  sender: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  deposit: 10n ** 17n,
  balance: 3n * 10n ** 15n,
  pagePrice: 5n * 10n ** 15n,
  sessionKey: true,
  autoPay: { maxPrice: 5n * 10n ** 15n, perMinute: 30 },
  token: { symbol: "TKN", decimals: 18 },
};

const shown = (requirements: PaymentRequirements) => renderHook(() => useStatusSnapshot(requirements)).result.current;

afterEach(() => localStorage.clear());

describe("status snapshot", () => {
  it("gives the next page what this one showed, for the same site only, and forgets it", () => {
    expect(shown(one)).toBeUndefined();
    saveStatusSnapshot(one, figures);
    expect(shown(one)).toEqual(figures);
    expect(shown(other)).toBeUndefined();
    saveStatusSnapshot(one, undefined);
    expect(shown(one)).toBeUndefined();
  });

  it("stores figures only, as text", () => {
    saveStatusSnapshot(one, figures);
    const [key] = Object.keys(localStorage);
    expect(key).toBe(
      "micro-raiden:status:1337:0xe7f1725e7734ce288f8367e1bb143e90bb3f0512:0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
    );
    expect(JSON.parse(localStorage.getItem(key ?? "") ?? "")).toEqual({
      sender: figures.sender,
      deposit: "100000000000000000",
      balance: "3000000000000000",
      pagePrice: "5000000000000000",
      sessionKey: true,
      autoPay: { maxPrice: "5000000000000000", perMinute: 30 },
      token: { symbol: "TKN", decimals: 18 },
    });
  });

  it("shows nothing for what does not read as figures", () => {
    saveStatusSnapshot(one, figures);
    const [key = ""] = Object.keys(localStorage);
    const stored = localStorage.getItem(key) ?? "";
    const free = stored.replace('"pagePrice":"5000000000000000"', '"pagePrice":"0"');
    for (const text of ["{", "null", '{"deposit":"x"}', free]) {
      localStorage.setItem(key, text);
      expect(shown(one), text).toBeUndefined();
    }
  });
});
