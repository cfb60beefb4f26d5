// The deploy script against a real JSON-RPC endpoint (Hardhat's node served over HTTP in this process), run as the
// CLI a site owner runs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { channelManagerAbi, parseDeployment } from "@micro-raiden/web-client/protocol";
import { network } from "hardhat";
import { createPublicClient, http, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { HARDHAT_MNEMONIC } from "../scripts/deploy.ts";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../scripts/deploy.ts", import.meta.url));

describe("deploy script", async () => {
  const server = await network.createServer("default", "127.0.0.1", 0);
  let rpcUrl = "";
  let dir = "";
  before(async () => {
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    dir = await mkdtemp(join(tmpdir(), "deploy-test-"));
  });
  after(() => server.close());

  const deployer = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 7 });
  const keyHex = toHex(deployer.getHdKey().privateKey ?? new Uint8Array());

  it("deploys token and manager and writes chainId, addresses and the deployment block", async () => {
    const keyFile = join(dir, "key");
    await writeFile(keyFile, `${keyHex}\n`, { mode: 0o600 });
    const out = join(dir, "deployment.json");
    const { stdout } = await run(process.execPath, [
      script,
      "--rpc-url",
      rpcUrl,
      "--private-key-file",
      keyFile,
      "--challenge-period",
      "600",
      "--out",
      out,
    ]);
    assert.ok(!stdout.includes(keyHex.slice(2)), "the key must never be printed");
    const deployment = parseDeployment(JSON.parse(await readFile(out, "utf8")));
    assert.equal(deployment.chainId, 31337);
    assert.equal(deployment.challengePeriod, 600);

    const client = createPublicClient({ transport: http(rpcUrl) });
    const read = (functionName: "token" | "challengePeriod") =>
      client.readContract({ address: deployment.channelManager, abi: channelManagerAbi, functionName });
    assert.equal(await read("token"), deployment.token);
    assert.equal(await read("challengePeriod"), 600n);
    // The manager's code appears exactly at the recorded block, so a watcher starting there misses nothing.
    const at = BigInt(deployment.deploymentBlock);
    assert.ok(await client.getCode({ address: deployment.channelManager, blockNumber: at }));
    assert.equal(await client.getCode({ address: deployment.channelManager, blockNumber: at - 1n }), undefined);
    const tx = await client.getTransactionCount({ address: deployer.address });
    assert.equal(tx, 2, "the given key deployed both contracts");
  });

  it("reuses an existing token when given one", async () => {
    const out = join(dir, "second.json");
    const first = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
    await run(process.execPath, [script, "--rpc-url", rpcUrl, "--token", first.token, "--out", out]);
    const second = parseDeployment(JSON.parse(await readFile(out, "utf8")));
    assert.equal(second.token, first.token);
    assert.notEqual(second.channelManager, first.channelManager);
  });

  it("refuses a key file others can read, without printing the key", async () => {
    const keyFile = join(dir, "open-key");
    await writeFile(keyFile, keyHex);
    await chmod(keyFile, 0o644);
    await assert.rejects(
      run(process.execPath, [script, "--rpc-url", rpcUrl, "--private-key-file", keyFile]),
      (error) => {
        assert.ok(error instanceof Error && "stderr" in error && typeof error.stderr === "string");
        assert.match(error.stderr, /readable by others \(mode 644\)/);
        assert.ok(!error.stderr.includes(keyHex.slice(2)));
        return true;
      },
    );
  });

  it("refuses a challenge period outside the contract's bounds before sending anything", async () => {
    const client = createPublicClient({ transport: http(rpcUrl) });
    const deployed = await client.getTransactionCount({ address: mnemonicToAccount(HARDHAT_MNEMONIC).address });
    for (const period of ["10", "499", "1000001", String(2 ** 53 - 1), "1e9", "600.5", "blocks"]) {
      await assert.rejects(
        run(process.execPath, [script, "--rpc-url", rpcUrl, "--challenge-period", period]),
        (error) => {
          assert.ok(error instanceof Error && "stderr" in error && typeof error.stderr === "string");
          assert.match(
            error.stderr,
            /deploy failed: The challenge period must be a whole number of blocks from 500 to 1000000/,
          );
          return true;
        },
      );
    }
    assert.equal(await client.getTransactionCount({ address: mnemonicToAccount(HARDHAT_MNEMONIC).address }), deployed);
  });
});
