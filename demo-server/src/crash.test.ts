// Durability: SIGKILL the receiver while it takes payments, restart it on the same database, and every payment it
// answered 200 must be in the store; the client then carries on paying.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  createChannelClient,
  fetchWithPayment,
  memoryLock,
  memoryStorage,
  openChannel,
} from "@micro-raiden/web-client";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, http, parseEther, toHex } from "viem";
import { sqliteStore } from "./store/sqliteStore.ts";

const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
let chain: TestChain;
let dir: string;

before(async () => {
  chain = await startTestChain();
  dir = await mkdtemp(join(tmpdir(), "crash-"));
  const [deployer, sender, receiver] = chain.accounts;
  assert.ok(deployer && sender && receiver);
  const minter = createWalletClient({ account: deployer, transport: http(chain.rpcUrl) });
  await createPublicClient({ transport: http(chain.rpcUrl) }).waitForTransactionReceipt({
    hash: await minter.writeContract({
      chain: null,
      address: chain.deployment.token,
      abi: demoTokenAbi,
      functionName: "mint",
      args: [sender.address, parseEther("100")],
    }),
  });
  await writeFile(join(dir, "receiver.key"), toHex(receiver.getHdKey().privateKey ?? new Uint8Array()), {
    mode: 0o600,
  });
  await writeFile(join(dir, "deployment.json"), JSON.stringify(chain.deployment));
});
after(() => chain.close());

/** Starts the receiver CLI as its own process and resolves with its URL once it listens. */
function startReceiver(): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(
    process.execPath,
    [
      cli,
      "start",
      "--rpc-url",
      chain.rpcUrl,
      "--private-key-file",
      join(dir, "receiver.key"),
      "--deployment",
      join(dir, "deployment.json"),
      "--db",
      join(dir, "receiver.db"),
      "--port",
      "0",
      "--poll-interval",
      "20",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`receiver exited (${code}): ${output}`)));
  });
}

it("every payment answered 200 before a SIGKILL is in the store after restart", async () => {
  const sender = chain.accounts[1];
  assert.ok(sender);
  const client = await createChannelClient({
    account: sender,
    transport: http(chain.rpcUrl),
    storage: memoryStorage(),
    lock: memoryLock(),
  });
  const channel = await openChannel(client, {
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
    receiver: chain.accounts[2]?.address ?? assert.fail(),
    deposit: parseEther("10"),
  });

  // Kill after a few answered payments, while the next one is in flight (0, 1 and 3 ms into it).
  for (const [answeredBeforeKill, delayMs] of [
    [5, 0],
    [20, 1],
    [1, 3],
  ] as const) {
    const { child, url, exited } = await startReceiver();
    let acknowledged = 0n;
    let answered = 0;
    const pay = async () => {
      const response = await fetchWithPayment(client, `${url}/echodyn/x`).catch(() => undefined);
      if (response?.status !== 200) return;
      acknowledged = BigInt(response.headers.get("RDN-Sender-Balance") ?? "0");
      answered++;
      await response.text();
    };
    while (answered < answeredBeforeKill) await pay();
    const inFlight = pay();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill("SIGKILL");
    await inFlight;
    await exited;

    const store = sqliteStore(join(dir, "receiver.db"));
    const stored = store.loadProofs().find((p) => p.openBlock === channel.openBlock);
    store.close();
    assert.ok(acknowledged > 0n, "some payments were answered before the kill");
    assert.ok(stored, "the channel's proof is stored");
    assert.ok(stored.balance >= acknowledged, `stored ${stored.balance} < acknowledged ${acknowledged}`);

    // After a restart the client carries on (resynchronizing from the echo if the receiver kept one more proof).
    const restarted = await startReceiver();
    const response = await fetchWithPayment(client, `${restarted.url}/echodyn/x`);
    assert.equal(response.status, 200);
    assert.ok(BigInt(response.headers.get("RDN-Sender-Balance") ?? "0") > stored.balance);
    restarted.child.kill("SIGTERM");
    await restarted.exited;
  }
});
