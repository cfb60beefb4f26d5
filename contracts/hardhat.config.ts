import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { defineConfig } from "hardhat/config";

// Hardhat downloads compilers by default; the solc-js build from the `solc` npm package makes compilation work
// offline and pins the compiler with the lockfile.
const require = createRequire(import.meta.url);
const solcPackage = require.resolve("solc/package.json");
const solcVersion: string = JSON.parse(readFileSync(solcPackage, "utf8")).version;

export default defineConfig({
  plugins: [hardhatViem, hardhatNodeTestRunner, hardhatNetworkHelpers],
  solidity: {
    version: solcVersion,
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 1_000_000 },
      viaIR: true,
    },
  },
  paths: {
    tests: { nodejs: "test" },
  },
});
