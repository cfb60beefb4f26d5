import { offchainLookupSignature as viemSignature } from "viem";
import { describe, expect, it } from "vitest";
import {
  offchainLookup,
  offchainLookupSignature,
  prepareTransactionRequest,
  secp256k1,
  sendRawTransaction,
} from "./unreachedViemFeatures.ts";

describe("the script tag's stand-ins for viem's unreached features", () => {
  it("keeps viem's OffchainLookup selector, which call compares on every reverted read", () => {
    expect(offchainLookupSignature).toBe(viemSignature);
  });

  it("refuses whatever reaches them, saying what the tag does not carry", async () => {
    await expect(offchainLookup()).rejects.toThrow(/does not carry CCIP-Read/);
    expect(() => Reflect.get(secp256k1 as object, "Signature")).toThrow(/does not carry @noble\/curves/);
    await expect(prepareTransactionRequest()).rejects.toThrow(/local-account transactions/);
    await expect(sendRawTransaction()).rejects.toThrow(/local-account transactions/);
  });
});
