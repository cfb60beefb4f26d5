// Vitest global setup (runs in Node, once): a real local chain with the contracts deployed, and the real receiver
// serving the demo site, both on free ports. The browser tests reach the chain directly (Hardhat's node allows any
// origin) and the receiver through the test page's origin (receiverProxy).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestChain } from "@micro-raiden/contracts/testing";
import { demoRoutes } from "@micro-raiden/demo-server";
import { startServer } from "@micro-raiden/receiver";
import { toHex } from "viem";
import type { TestProject } from "vitest/node";
import { setTestReceiverUrl } from "./receiverProxy.ts";
import { testConfirmations, testSponsorMinDeposit } from "./testReceiverSettings.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chain = await startTestChain();
  // Blocks keep coming while tests wait for confirmations, as on a real chain; transactions still mine at once.
  await chain.testClient.request({ method: "evm_setIntervalMining", params: [500] });
  const receiverKey = chain.accounts[1]?.getHdKey().privateKey;
  if (!receiverKey) throw new Error("The test chain has no second account for the receiver.");
  const directory = await mkdtemp(join(tmpdir(), "micro-raiden-widget-"));
  const server = await startServer({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiverKey),
    dbPath: join(directory, "receiver.db"),
    confirmations: testConfirmations,
    pollIntervalMs: 100,
    port: 0,
    routes: demoRoutes,
    // Sponsored opens only from half a token up: the default deposits of the tests pay their own gas.
    sponsor: { minDeposit: testSponsorMinDeposit },
    log: () => {},
  });
  setTestReceiverUrl(server.url);
  project.provide("rpcUrl", chain.rpcUrl);
  project.provide("deployment", chain.deployment);
  return async () => {
    setTestReceiverUrl(undefined);
    await server.close();
    await chain.close();
    await rm(directory, { recursive: true, force: true });
  };
}
