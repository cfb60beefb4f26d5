// Two `npm start`s on one machine, on other ports: every fresh local chain deploys the manager at the same address,
// and each start clears its data. Here each demo's receiver database is the real SQLite store, held open while the
// other demo starts, as a running receiver holds it.
import assert from "node:assert/strict";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, it } from "node:test";
import { sqliteStore } from "@micro-raiden/receiver";
import type { Address } from "viem";
import { demoDatabase, demoRunDirectory } from "./demoRun.ts";

/** What every fresh Hardhat chain gets from the deploy script (deployer nonce 1), whatever its port. */
const localDeployment = { chainId: 31337, channelManager: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as Address };
const sender: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** Records that the receiver at `path` was paid `balance` on one channel, as it does before sending paid content. */
function pay(path: string, balance: bigint): void {
  const store = sqliteStore(path);
  try {
    store.saveProofs([
      { sender, openBlock: 7n, balance, signature: `0x${"1b".repeat(65)}`, request: "GET /articles/1", committedAt: 0 },
    ]);
  } finally {
    store.close();
  }
}

/** The balances stored at `path`, read as a restarted receiver reads them. */
function balances(path: string): bigint[] {
  const store = sqliteStore(path);
  try {
    return store.loadProofs().map((proof) => proof.balance);
  } finally {
    store.close();
  }
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "demo-data-"));
});

it("two demos side by side on other ports keep their own proofs: starting one clears nothing of the other's", async () => {
  const first = demoRunDirectory(dataDir, { port: 3000, chainPort: 8545 });
  const firstDb = await demoDatabase(first, localDeployment, { fresh: true });
  const running = sqliteStore(firstDb); // the first demo's receiver, still running
  try {
    pay(firstDb, 1000n);

    const second = demoRunDirectory(dataDir, { port: 3002, chainPort: 8546 });
    const secondDb = await demoDatabase(second, localDeployment, { fresh: true });
    pay(secondDb, 5n);

    assert.deepEqual(balances(firstDb), [1000n], "the first demo's proofs");
    assert.deepEqual(
      running.loadProofs().map((proof) => proof.balance),
      [1000n],
    );
    assert.deepEqual(balances(secondDb), [5n], "the second demo's proofs");
  } finally {
    running.close();
  }
});

it("a demo restarted on the same ports with a fresh local chain starts from an empty database", async () => {
  const run = demoRunDirectory(dataDir, { port: 3000, chainPort: 8545 });
  pay(await demoDatabase(run, localDeployment, { fresh: true }), 1000n);
  // The new chain reuses addresses and block numbers: the last run's proofs would haunt its channels.
  const restarted = await demoDatabase(run, localDeployment, { fresh: true });
  assert.deepEqual(balances(restarted), []);
});

it("against another chain, the data stays across restarts, and a database from before moves into the run", async () => {
  const sepolia = { chainId: 11155111, channelManager: "0x1111111111111111111111111111111111111111" as Address };
  // Before demos were kept per ports: demo-<chainId>-<manager>.db in the data directory itself.
  pay(join(dataDir, "demo-11155111-11111111.db"), 300n);
  const run = demoRunDirectory(dataDir, { port: 3000 });

  const db = await demoDatabase(run, sepolia, { fresh: false });
  assert.deepEqual(balances(db), [300n]);
  assert.deepEqual(
    (await readdir(dataDir)).filter((file) => file.endsWith(".db")),
    [],
    "nothing left behind",
  );
  pay(db, 400n);
  assert.deepEqual(balances(await demoDatabase(run, sepolia, { fresh: false })), [400n]);
});
