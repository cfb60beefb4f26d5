// The receiver refuses to start on a deployment whose channel manager readers would refuse: another contract, an
// account, or a genuine manager of another token. The CLI says so in one line naming the address, and exits 1.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import type { Deployment } from "@micro-raiden/web-client/protocol";
import { toHex } from "viem";
import { startReceiver } from "../startReceiver.ts";
import { UntrustedManagerError } from "./UntrustedManagerError.ts";

const cli = fileURLToPath(new URL("../bin.ts", import.meta.url));

describe("the receiver's genuine-manager check at startup", () => {
  let chain: TestChain;
  let dir: string;
  let privateKey: `0x${string}`;
  let account: `0x${string}`;

  before(async () => {
    chain = await startTestChain();
    const receiver = chain.accounts[2];
    assert.ok(receiver);
    privateKey = toHex(receiver.getHdKey().privateKey ?? assert.fail());
    account = chain.accounts[5]?.address ?? assert.fail();
    dir = await mkdtemp(join(tmpdir(), "genuine-"));
  });
  after(async () => {
    await chain?.close();
  });

  const start = (deployment: Deployment, db: string) =>
    startReceiver({ rpcUrl: chain.rpcUrl, deployment, privateKey, dbPath: join(dir, db), log: () => {} });

  it("starts on the real deployment", async () => {
    const receiver = await start(chain.deployment, "genuine.db");
    await receiver.close();
  });

  for (const [name, deployment, reason] of [
    [
      "another contract (the token)",
      () => ({ ...chain.deployment, channelManager: chain.deployment.token }),
      /code is not ChannelManager's/,
    ],
    ["an account", () => ({ ...chain.deployment, channelManager: account }), /no code/],
    [
      "a genuine manager of another token",
      () => ({ ...chain.deployment, token: account }),
      /holds deposits in 0x\w+, not in the deployment's token/,
    ],
  ] as const) {
    it(`refuses ${name}, before opening its store`, async () => {
      const refused = deployment();
      await assert.rejects(start(refused, `${name}.db`), (error: unknown) => {
        assert.ok(error instanceof UntrustedManagerError, String(error));
        assert.equal(error.address, refused.channelManager);
        assert.match(error.message, reason);
        return true;
      });
      await assert.rejects(access(join(dir, `${name}.db`)), "no store was created");
    });
  }

  it("the CLI refuses to start with one line naming the address, and exits 1", async () => {
    const deploymentFile = join(dir, "deployment.json");
    await writeFile(deploymentFile, JSON.stringify({ ...chain.deployment, channelManager: account }));
    const keyFile = join(dir, "receiver.key");
    await writeFile(keyFile, privateKey, { mode: 0o600 });
    const args = ["start", "--rpc-url", chain.rpcUrl, "--private-key-file", keyFile, "--deployment", deploymentFile];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [cli, ...args, "--db", join(dir, "cli.db"), "--port", "0"],
        { timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    assert.equal(code, 1, stderr);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `micro-raiden-server: the deployment's channel manager ${account} on chain ${chain.deployment.chainId} is not a genuine ChannelManager: it has no code (an account, or nothing deployed there)\n`,
    );
  });
});
