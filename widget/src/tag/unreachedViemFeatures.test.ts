import { encodeDeployData, type Hex, offchainLookupSignature as viemSignature } from "viem";
import { describe, expect, it } from "vitest";
import * as standIns from "./unreachedViemFeatures.ts";
import {
  defaultParameters,
  deploylessCallViaBytecodeBytecode,
  deploylessCallViaFactoryBytecode,
  multicall3Bytecode,
  offchainLookup,
  offchainLookupSignature,
  prepareTransactionRequest,
  secp256k1,
  sendRawTransaction,
} from "./unreachedViemFeatures.ts";

const reached = /^The micro-raiden script tag reached .+, which it does not carry/;

describe("the script tag's stand-ins for viem's unreached features", () => {
  it("keeps viem's OffchainLookup selector, which call compares on every reverted read", () => {
    expect(offchainLookupSignature).toBe(viemSignature);
  });

  it("refuses whatever reaches them, saying what was reached", async () => {
    await expect(offchainLookup()).rejects.toThrow(/reached viem's CCIP-Read \(EIP-3668\) offchain lookup/);
    expect(() => Reflect.get(secp256k1 as object, "Signature")).toThrow(
      /reached @noble\/curves' secp256k1 \(Signature was asked for\)/,
    );
    await expect(prepareTransactionRequest()).rejects.toThrow(/reached viem's local-account transactions/);
    await expect(sendRawTransaction()).rejects.toThrow(/reached viem's local-account transactions/);
  });

  it("refuses where sendTransaction's local-account path first uses them: spreading defaultParameters", () => {
    // viem's sendTransaction: `parameters: [...defaultParameters, 'sidecars']`, before prepareTransactionRequest.
    expect(() => [...defaultParameters, "sidecars"]).toThrow(/reached viem's local-account transactions/);
    expect(() => defaultParameters.length).toThrow(reached);
  });

  it("refuses where a deployless call first uses its bytecode: encoding the deploy data", () => {
    // viem's call: `encodeDeployData({ abi, bytecode: deploylessCallViaBytecodeBytecode, args: [code, data] })`, and
    // the same for the factory's bytecode and multicall3's (a deployless multicall is a call with `code`); nothing is
    // sent before that.
    const abi = [
      { type: "constructor", stateMutability: "nonpayable", inputs: [{ type: "bytes" }, { type: "bytes" }] },
    ];
    for (const bytecode of [deploylessCallViaBytecodeBytecode, deploylessCallViaFactoryBytecode, multicall3Bytecode]) {
      expect(() => encodeDeployData({ abi, bytecode: bytecode as Hex, args: ["0x01", "0x02"] })).toThrow(reached);
    }
  });

  it("has no stand-in that passes quietly: every export but the selector throws when called or used", async () => {
    const exports = Object.entries(standIns).filter(([name]) => name !== "offchainLookupSignature");
    expect(exports.length).toBeGreaterThanOrEqual(8);
    for (const [name, standIn] of exports) {
      if (typeof standIn === "function") {
        await expect(
          Promise.resolve().then(() => standIn()),
          name,
        ).rejects.toThrow(reached);
      } else {
        expect(() => Reflect.get(standIn as object, "anything"), name).toThrow(reached);
        expect(() => [...(standIn as Iterable<unknown>)], name).toThrow(reached);
      }
    }
  });
});
