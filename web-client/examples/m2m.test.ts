// The M2M example end to end: a real chain, the real receiver over HTTP, a private-key client.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { demoRoutes } from "@micro-raiden/demo-server";
import { type RunningServer, startServer } from "@micro-raiden/receiver";
import { createPublicClient, erc20Abi, http, parseUnits, toHex } from "viem";
import { runM2M } from "./m2m.ts";

const usdc = (amount: string) => parseUnits(amount, 6);
let chain: TestChain;
let server: RunningServer;

before(async () => {
  // The demo's token: USDC (6 decimals).
  chain = await startTestChain({ tokenKind: "usdc" });
  const [, machine, receiver] = chain.accounts;
  assert.ok(machine && receiver);
  await chain.mint(machine.address, usdc("100"));
  server = await startServer({
    routes: demoRoutes,
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiver.getHdKey().privateKey ?? new Uint8Array()),
    dbPath: join(await mkdtemp(join(tmpdir(), "m2m-")), "receiver.db"),
    port: 0,
    pollIntervalMs: 20,
    log: () => {},
  });
});
after(async () => {
  await server.close();
  await chain.close();
});

it("pays for several resources with a private key, then closes cooperatively", async () => {
  const machine = chain.accounts[1];
  assert.ok(machine);
  const tokenBalance = (address: `0x${string}`) =>
    createPublicClient({ transport: http(chain.rpcUrl) }).readContract({
      address: chain.deployment.token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [address],
    });
  const receiverBefore = await tokenBalance(server.receiver.address);
  const machineBefore = await tokenBalance(machine.address);
  const { results, closedAt } = await runM2M({
    baseUrl: server.url,
    rpcUrl: chain.rpcUrl,
    account: machine,
    paths: ["/articles/1", "/articles/2", "/echodyn/m2m"],
    deposit: "1",
  });
  assert.deepEqual(
    results.map((r) => [r.path, r.status, r.price]),
    [
      ["/articles/1", 200, 1000n], // 0.001 USDC
      ["/articles/2", 200, 2000n],
      ["/echodyn/m2m", 200, 3n * 100n], // 0.0001 USDC a character
    ],
  );
  assert.equal(results[2]?.body, "m2m");
  const total = usdc("0.0033");
  assert.equal(closedAt, total);
  assert.equal((await tokenBalance(server.receiver.address)) - receiverBefore, total);
  assert.equal(machineBefore - (await tokenBalance(machine.address)), total);
});
