// kill -9 under load: many senders pay in parallel while the receiver is SIGKILLed again and again at random
// moments and restarted on the same database and port. Each sender keeps asking for each of its requests until it
// gets the content (a reader reloading the page; the client itself first retries with the same proof). Afterwards:
// - no acknowledged payment is lost: after every kill, the store holds at least every balance a 200 echoed;
// - no request is charged twice: each channel's stored balance is exactly its number of requests × the price,
//   and it is what the client recorded.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { sqliteStore } from "@micro-raiden/receiver";
import {
  type ChannelClient,
  createChannelClient,
  fetchWithPayment,
  memoryLock,
  memoryStorage,
  openChannel,
} from "@micro-raiden/web-client";
import { headerNames } from "@micro-raiden/web-client/protocol";
import { type Address, http, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { demoPrice, pricePerCharacter } from "./createDemoApp.ts";
import { type SpawnedDemoServer, spawnDemoServer } from "./testing/spawnDemoServer.ts";

const senders = 12;
// Each sender pays at least this many requests, and goes on paying until every kill has happened: on a fast
// machine a fixed load could end before the killer is through.
const minimumRequests = 25;
const kills = 6;
// The demo's token: USDC (6 decimals).
const usdc = (amount: string) => demoPrice(amount, 6);
const price = usdc(pricePerCharacter); // /echodyn/x: one character, 0.0001 USDC

let chain: TestChain;
let dir: string;
let receiverKey: `0x${string}`;
let receiverAddress: Address;

before(async () => {
  chain = await startTestChain({ tokenKind: "usdc" });
  dir = await mkdtemp(join(tmpdir(), "crash-"));
  const receiver = chain.accounts[2];
  assert.ok(receiver);
  receiverAddress = receiver.address;
  receiverKey = toHex(receiver.getHdKey().privateKey ?? new Uint8Array());
});
after(() => chain.close());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(address && typeof address === "object");
  return address.port;
}

/** The stored balance of every channel, read from the database as a new process would. */
function storedBalances(): Map<string, bigint> {
  const store = sqliteStore(join(dir, "receiver.db"));
  try {
    return new Map(store.loadProofs().map((p) => [`${p.sender}:${p.openBlock}`, p.balance]));
  } finally {
    store.close();
  }
}

type Sender = { client: ChannelClient; key: string; acknowledged: bigint; served: number };

it(`${senders} senders paying through ${kills} SIGKILLs: no acknowledged payment lost, no request charged twice`, async () => {
  const port = await freePort();
  const start = () =>
    spawnDemoServer({
      dir,
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: receiverKey,
      pollIntervalMs: 50,
      port,
    });
  let server: SpawnedDemoServer = await start();
  // Whatever happens, no receiver process and no sender outlives the test: a failed assertion must not leave the
  // senders paying forever (the run would never end).
  let stopped = false;
  after(() => {
    stopped = true;
    server.child.kill("SIGKILL");
  });
  const url = `http://127.0.0.1:${port}`;

  // Funded one after another (one minter, one nonce sequence), then channels opened in parallel.
  const accounts = Array.from({ length: senders }, () => privateKeyToAccount(generatePrivateKey()));
  for (const account of accounts) {
    await chain.testClient.setBalance({ address: account.address, value: parseEther("10") });
    await chain.mint(account.address, usdc("10"));
  }
  const all: Sender[] = await Promise.all(
    accounts.map(async (account) => {
      const client = createChannelClient({
        account,
        transport: http(chain.rpcUrl),
        storage: memoryStorage(),
        lock: memoryLock(),
      });
      const channel = await openChannel(client, {
        chainId: chain.deployment.chainId,
        contract: chain.deployment.channelManager,
        token: chain.deployment.token,
        receiver: receiverAddress,
        deposit: usdc("1"),
      });
      return { client, key: `${account.address}:${channel.openBlock}`, acknowledged: 0n, served: 0 };
    }),
  );

  /** One request, asked again (like a reload) until its content arrives. */
  async function read(sender: Sender): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      assert.ok(attempt < 200, "a request never got through");
      const response = await fetchWithPayment(sender.client, {
        input: `${url}/echodyn/x`,
        retryCount: 6,
        retryDelay: 100,
      }).catch(() => undefined);
      if (response?.status === 200) {
        assert.equal(await response.text(), "x");
        sender.acknowledged = BigInt(response.headers.get(headerNames.senderBalance) ?? "0");
        sender.served++;
        return;
      }
      await response?.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  let killing = true;
  const load = Promise.all(
    all.map(async (sender) => {
      while (!stopped && (killing || sender.served < minimumRequests)) await read(sender);
    }),
  );

  let killed = 0;
  while (killed < kills) {
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 450));
    const acknowledgedBefore = all.map((sender) => sender.acknowledged);
    server.child.kill("SIGKILL");
    await server.exited;
    killed++;
    // Every balance a 200 echoed before the kill is on disk.
    const stored = storedBalances();
    all.forEach((sender, i) => {
      const acknowledged = acknowledgedBefore[i] ?? 0n;
      assert.ok(
        (stored.get(sender.key) ?? 0n) >= acknowledged,
        `kill ${killed}: stored ${stored.get(sender.key)} < acknowledged ${acknowledged} for ${sender.key}`,
      );
    });
    server = await start();
  }
  killing = false;
  await load;
  server.child.kill("SIGTERM");
  await server.exited;

  const stored = storedBalances();
  for (const sender of all) {
    assert.ok(sender.served >= minimumRequests);
    const charged = stored.get(sender.key) ?? 0n;
    assert.equal(
      charged,
      BigInt(sender.served) * price,
      `${sender.key}: charged ${charged / price} times for ${sender.served} requests`,
    );
    assert.equal(sender.acknowledged, charged);
  }
});
