import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MalformedAttributeError } from "./MalformedAttributeError.ts";
import { decodePaywallSite, encodePaywallSite, paywallSiteAttributeNames } from "./paywallSite.ts";

const element = (attributes: Record<string, string>) => ({ getAttribute: (name: string) => attributes[name] ?? null });

describe("paywall site details", () => {
  it("round-trips the chain's RPC URL and name and the token's symbol and decimals", () => {
    const site = {
      rpcUrl: "http://127.0.0.1:9545/",
      chainName: "Local chain 1337",
      token: { symbol: "USDC", decimals: 6 },
    };
    assert.deepEqual(decodePaywallSite(element(encodePaywallSite(site))), site);
  });

  it("leaves out what the receiver does not say, and reads it back as absent", () => {
    assert.deepEqual(encodePaywallSite({}), {});
    assert.deepEqual(decodePaywallSite(element({})), { rpcUrl: undefined, chainName: undefined, token: undefined });
  });

  const names = paywallSiteAttributeNames;
  for (const [name, attributes, attribute] of [
    ["a javascript: RPC URL", { [names.rpcUrl]: "javascript:alert(1)" }, names.rpcUrl],
    ["an RPC URL that is no URL", { [names.rpcUrl]: "localhost:8545" }, names.rpcUrl],
    ["decimals beyond 255", { [names.tokenSymbol]: "TKN", [names.tokenDecimals]: "256" }, names.tokenDecimals],
    ["decimals as a fraction", { [names.tokenSymbol]: "TKN", [names.tokenDecimals]: "1.5" }, names.tokenDecimals],
    ["decimals without a symbol (the symbol is named missing)", { [names.tokenDecimals]: "18" }, names.tokenSymbol],
    [
      "a symbol with a control character",
      { [names.tokenSymbol]: "T\nKN", [names.tokenDecimals]: "18" },
      names.tokenSymbol,
    ],
    ["a chain name of 65 characters", { [names.chainName]: "x".repeat(65) }, names.chainName],
  ] as const) {
    it(`refuses ${name}, naming the attribute`, () => {
      assert.throws(
        () => decodePaywallSite(element(attributes)),
        (error: unknown) => error instanceof MalformedAttributeError && error.attribute === attribute,
      );
    });
  }
});
