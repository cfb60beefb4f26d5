// `micro-raiden-server deploy` on a fresh local chain, run as its own process: the proxy placed the standard way,
// the manager at the CREATE2 address computed here from the contracts build's own creation code, genuine to the
// web-client's check, and a second deploy that finds it and sends nothing.
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { inspectChannelManagerCode, parseDeployment } from "@micro-raiden/web-client/protocol";
import {
  concat,
  createPublicClient,
  encodeAbiParameters,
  getContractAddress,
  type Hex,
  http,
  type PublicClient,
  toHex,
  zeroHash,
} from "viem";
import { runCliProcess } from "../cli/runCliProcess.test-helper.ts";
import { startServer } from "../startServer.ts";
import { channelManagerAddress } from "./deployChannelManager.ts";
import { deterministicDeployer } from "./deterministicDeployer.ts";

let chain: TestChain;
let publicClient: PublicClient;
let dir: string;
let keyFile: string;

before(async () => {
  chain = await startTestChain();
  publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  dir = await mkdtemp(join(tmpdir(), "deploy-"));
  keyFile = join(dir, "deployer.key");
  const deployer = chain.accounts[3];
  assert.ok(deployer);
  await writeFile(keyFile, toHex(deployer.getHdKey().privateKey ?? new Uint8Array()), { mode: 0o600 });
});
after(() => chain.close());

/** Runs `micro-raiden-server deploy` for `token` as the test's deployer, writing the deployment file to `out`. */
function deploy(token: string, out: string) {
  return runCliProcess([
    "deploy",
    "--rpc-url",
    chain.rpcUrl,
    "--token",
    token,
    "--private-key-file",
    keyFile,
    "--deployment",
    out,
  ]);
}

/** The address from the compiled artifact, by the CREATE2 rule: nothing of the receiver's own code. */
async function expectedAddress(token: Hex, challengePeriod: number) {
  const testing = import.meta.resolve("@micro-raiden/contracts/testing");
  const artifactUrl = new URL("../artifacts/contracts/ChannelManager.sol/ChannelManager.json", testing);
  const artifact: { bytecode: Hex } = JSON.parse(await readFile(artifactUrl, "utf8"));
  const args = encodeAbiParameters([{ type: "address" }, { type: "uint64" }], [token, BigInt(challengePeriod)]);
  return getContractAddress({
    opcode: "CREATE2",
    from: "0x4e59b44847b379578588920cA78FbF26c0B4956C",
    salt: zeroHash,
    bytecode: concat([artifact.bytecode, args]),
  });
}

describe("micro-raiden-server deploy", () => {
  it("deploys the manager through the deterministic deployment proxy at the address its code gives", async () => {
    const { token } = chain.deployment;
    const out = join(dir, "deployment.json");
    const run = await deploy(token, out);
    assert.equal(run.code, 0, run.stderr);
    const deployment = parseDeployment(JSON.parse(await readFile(out, "utf8")));
    assert.equal(deployment.channelManager, await expectedAddress(token, 500));
    assert.equal(deployment.channelManager, channelManagerAddress({ token }));
    assert.equal(deployment.token, token);
    assert.equal(deployment.challengePeriod, 500);
    assert.equal(deployment.chainId, 31337);
    assert.notEqual(await publicClient.getCode({ address: deterministicDeployer.address }), undefined);
    // Progress: the proxy placed, then the manager's transaction sent and mined with its gas.
    assert.match(run.stdout, /placing it at 0x4e59b44847b379578588920cA78FbF26c0B4956C/);
    assert.match(run.stdout, /transaction 0x[0-9a-f]{64} sent/);
    assert.match(run.stdout, /mined in block \d+, gas used \d+/);
    const code = await publicClient.getCode({ address: deployment.channelManager });
    const inspection = inspectChannelManagerCode({ code, address: deployment.channelManager, chainId: 31337 });
    assert.deepEqual(inspection, { genuine: true, token, challengePeriod: 500n });
    // The deployment block is the one whose state first has the code.
    const before = await publicClient.getCode({
      address: deployment.channelManager,
      blockNumber: BigInt(deployment.deploymentBlock - 1),
    });
    assert.equal(before, undefined);
  });

  it("finds the manager already there on a second deploy and sends nothing", async () => {
    const { token } = chain.deployment;
    const first = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
    const deployer = chain.accounts[3];
    assert.ok(deployer);
    const nonce = await publicClient.getTransactionCount({ address: deployer.address });
    const blockBefore = await publicClient.getBlockNumber();
    const out = join(dir, "again.json");
    const run = await deploy(token, out);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /already at .* nothing to deploy/);
    assert.equal(await publicClient.getTransactionCount({ address: deployer.address }), nonce);
    assert.equal(await publicClient.getBlockNumber(), blockBefore);
    assert.deepEqual(parseDeployment(JSON.parse(await readFile(out, "utf8"))), first);
  });

  it("gives another address for another challenge period, and `address` prints the same without a chain", async () => {
    const { token } = chain.deployment;
    const run = await runCliProcess(["address", "--token", token, "--challenge-period", "1000"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), await expectedAddress(token, 1000));
    assert.notEqual(run.stdout.trim(), channelManagerAddress({ token }));
  });

  it("a receiver starts on the deployed manager (the same genuine-manager check readers make)", async () => {
    const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
    const receiver = chain.accounts[4];
    assert.ok(receiver);
    const server = await startServer({
      rpcUrl: chain.rpcUrl,
      deployment,
      privateKey: toHex(receiver.getHdKey().privateKey ?? new Uint8Array()),
      dbPath: join(dir, "receiver.db"),
      port: 0,
    });
    await server.close();
  });

  it("refuses a token address with no contract, sending nothing", async () => {
    const run = await deploy("0x000000000000000000000000000000000000dEaD", join(dir, "none.json"));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no contract at 0x000000000000000000000000000000000000dEaD/);
  });
});
