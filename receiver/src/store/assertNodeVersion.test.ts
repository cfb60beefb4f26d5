import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertNodeVersion } from "./assertNodeVersion.ts";

describe("assertNodeVersion: an operator on an old Node is told so before anything fails", () => {
  it("refuses Node 20 and 22 with a sentence naming the version found", () => {
    for (const version of ["v20.20.2", "v22.13.0", "23.11.1", "v8.17.0"]) {
      assert.throws(() => assertNodeVersion(version), {
        message: `The receiver needs Node.js 24 or later (this is ${version}).`,
      });
    }
  });

  it("lets Node 24 and later run, and the Node running these tests", () => {
    for (const version of ["v24.0.0", "24.21.0", "v25.2.1", "v100.0.0", process.version]) {
      assert.doesNotThrow(() => assertNodeVersion(version), version);
    }
  });

  it("does not refuse a version string it cannot read", () => {
    for (const version of ["", "unknown", "vNext"]) assert.doesNotThrow(() => assertNodeVersion(version));
  });
});
