import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelManagerRuntimeCode } from "./channelManagerRuntimeCode.ts";
import { InvalidDeploymentError, parseDeployment } from "./deployment.ts";

const valid = {
  chainId: 31337,
  channelManager: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  deploymentBlock: 2,
  challengePeriod: 500,
};

describe("parseDeployment", () => {
  it("accepts the deploy script's output and checksums addresses", () => {
    assert.deepEqual(parseDeployment(valid), {
      ...valid,
      channelManager: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    });
  });

  it("accepts a challenge period at either of the contract's bounds", () => {
    const { min, max } = channelManagerRuntimeCode.challengePeriod;
    assert.deepEqual([min, max], [500, 1_000_000]);
    for (const challengePeriod of [min, max]) {
      assert.equal(parseDeployment({ ...valid, challengePeriod }).challengePeriod, challengePeriod);
    }
  });

  it("names the bounds when the challenge period is outside them", () => {
    assert.throws(() => parseDeployment({ ...valid, challengePeriod: 10 }), {
      message: "Invalid deployment file: challengePeriod must be an integer from 500 to 1000000.",
    });
  });

  for (const [name, input, field] of [
    ["not an object", [], "(root)"],
    ["a missing field", { ...valid, token: undefined, deploymentBlock: 1 }, "token"],
    ["a short address", { ...valid, channelManager: "0x1234" }, "channelManager"],
    ["a chain id as a string", { ...valid, chainId: "31337" }, "chainId"],
    ["a negative block", { ...valid, deploymentBlock: -1 }, "deploymentBlock"],
    ["a fractional period", { ...valid, challengePeriod: 1.5 }, "challengePeriod"],
    ["an unsafe integer", { ...valid, chainId: 2 ** 60 }, "chainId"],
    ["a challenge period below the contract's minimum", { ...valid, challengePeriod: 499 }, "challengePeriod"],
    ["a challenge period above the contract's maximum", { ...valid, challengePeriod: 1_000_001 }, "challengePeriod"],
    ["a challenge period of 2^53 - 1", { ...valid, challengePeriod: Number.MAX_SAFE_INTEGER }, "challengePeriod"],
  ] as const) {
    it(`rejects ${name}, naming the field`, () => {
      assert.throws(
        () => parseDeployment(input),
        (error: unknown) => error instanceof InvalidDeploymentError && error.field === field,
      );
    });
  }
});
