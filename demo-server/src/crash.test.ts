// Durability: SIGKILL the receiver while it takes payments, restart it on the same database, and every payment it
// answered 200 must be in the store; the client then carries on paying.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { sqliteStore } from "@micro-raiden/receiver";
import {
  createChannelClient,
  fetchWithPayment,
  memoryLock,
  memoryStorage,
  openChannel,
} from "@micro-raiden/web-client";
import { headerNames } from "@micro-raiden/web-client/protocol";
import { http, parseEther, toHex } from "viem";
import { spawnDemoServer } from "./testing/spawnDemoServer.ts";

let chain: TestChain;
let dir: string;
let receiverKey: `0x${string}`;

before(async () => {
  chain = await startTestChain();
  dir = await mkdtemp(join(tmpdir(), "crash-"));
  const [, sender, receiver] = chain.accounts;
  assert.ok(sender && receiver);
  await chain.mint(sender.address, parseEther("100"));
  receiverKey = toHex(receiver.getHdKey().privateKey ?? new Uint8Array());
});
after(() => chain.close());

const startReceiver = () =>
  spawnDemoServer({
    dir,
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: receiverKey,
    pollIntervalMs: 20,
  });

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
      acknowledged = BigInt(response.headers.get(headerNames.senderBalance) ?? "0");
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
    assert.ok(BigInt(response.headers.get(headerNames.senderBalance) ?? "0") > stored.balance);
    restarted.child.kill("SIGTERM");
    await restarted.exited;
  }
});
