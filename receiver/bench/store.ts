// npm run bench:store — what GET /api/1/stats and the watcher's per-block store write cost as channels pile up.
//
// For 1,000 / 10,000 / 100,000 channels: a SQLite store on disk (WAL, synchronous=FULL, as in production) holding one
// ChannelCreated event and one accepted proof per channel and a cursor row for every block, a receiver core rebuilt
// from it, and the receiver's app answering through app.request with a fake RPC (GET /stats reads the token balance).
// Beside each figure, what the code before the incremental totals and the range-limited pruning cost: a walk over
// every channel per /stats call, and the prune DELETE that looked at every stored event block.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { apiPaths, decodeReceiverStats } from "@micro-raiden/web-client/protocol";
import { toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { receiverApp } from "../src/http/receiverApp.ts";
import { createReceiverCore } from "../src/receiver/createReceiverCore.ts";
import { receiverFromCore } from "../src/receiver/receiverFromCore.ts";
import { sqliteStore } from "../src/store/sqliteStore.ts";
import { benchDeployment, benchPublicClient, fillChannels } from "./fillChannels.ts";

const sizes = (process.env.CHANNELS ?? "1000,10000,100000").split(",").map(Number);
const deployment = benchDeployment;

const publicClient = benchPublicClient;

/** Mean time per call of `run`, in ms, over `calls` calls after `warmup` unmeasured ones. */
async function perCall(calls: number, warmup: number, run: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < warmup; i++) await run(i);
  const start = performance.now();
  for (let i = 0; i < calls; i++) await run(warmup + i);
  return (performance.now() - start) / calls;
}

type Row = {
  channels: number;
  stats: number;
  statsWalk: number;
  appendBlock: number;
  firstAppend: number;
  oldPrune: number;
};

async function measure(channels: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), "bench-store-"));
  const path = join(dir, "receiver.db");
  try {
    const setup = sqliteStore(path);
    const head = await fillChannels(setup, channels);
    setup.close();

    // What a restarted receiver does: open the store (pruning has not run in this process yet), rebuild the book.
    const store = sqliteStore(path);
    const core = createReceiverCore({ store, account: privateKeyToAccount(generatePrivateKey()), deployment });
    core.setHead(head);
    const receiver = receiverFromCore(core, { publicClient });
    const app = receiverApp({ receiver });
    const statsPath = `${receiver.gatewayPath}${apiPaths.stats}`;
    const check = decodeReceiverStats(await (await app.request(statsPath)).json());
    if (check.openChannels !== channels)
      throw new Error(`expected ${channels} open channels, got ${check.openChannels}`);

    const stats = await perCall(channels >= 100_000 ? 2000 : 5000, 200, async () => {
      await (await app.request(statsPath)).arrayBuffer();
    });
    // Before: every call walked every channel (its state and confirmed deposit), then read the token balance.
    const statsWalk = await perCall(channels >= 100_000 ? 50 : 500, 5, async () => {
      let depositSum = 0n;
      let balanceSum = 0n;
      let open = 0;
      let closing = 0;
      const senders = new Set<string>();
      for (const channel of core.book.select({})) {
        const state = core.status(channel);
        if (state === "settled") continue;
        if (state === "open") {
          open++;
          senders.add(channel.sender);
          depositSum += core.deposit(channel);
        }
        if (state === "closing") closing++;
        balanceSum += channel.balance - channel.withdrawn;
      }
      await (await app.request(statsPath)).arrayBuffer();
      return [depositSum, balanceSum, open, closing, senders.size];
    });

    // The watcher's per-poll write: one new cursor block (the first call after a start prunes everything old).
    let next = head + 1n;
    const appendOne = () => {
      store.appendBlocks([{ number: next, hash: toHex(next, { size: 32 }) }], []);
      next++;
    };
    const firstAppend = await perCall(1, 0, appendOne);
    const appendBlock = await perCall(300, 20, appendOne);
    // Before: the same prune, as one DELETE looking at every stored event block (run on a second connection).
    const old = new DatabaseSync(path);
    const oldPruneSql = old.prepare(
      "DELETE FROM blocks WHERE number < ? AND number NOT IN (SELECT block_number FROM events)",
    );
    const oldPrune = await perCall(50, 5, () => {
      old.exec("BEGIN");
      oldPruneSql.run(next - 10_000n);
      old.exec("ROLLBACK");
    });
    old.close();
    await receiver.close();
    store.close();
    return { channels, stats, statsWalk, appendBlock, firstAppend, oldPrune };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const channels of sizes) {
  console.log(`Building a store with ${channels} channels…`);
  rows.push(await measure(channels));
}

const ms = (value: number) => value.toFixed(3).padStart(12);
console.log(
  `\n| channels | GET /stats (ms) | walk, before (ms) | appendBlocks (ms/block) | first after start (ms) | old prune DELETE (ms) |`,
);
console.log(
  "|---------:|----------------:|------------------:|------------------------:|-----------------------:|----------------------:|",
);
for (const r of rows) {
  console.log(
    `| ${r.channels.toString().padStart(8)} | ${ms(r.stats).padStart(15)} | ${ms(r.statsWalk).padStart(17)} | ${ms(r.appendBlock).padStart(23)} | ${ms(r.firstAppend).padStart(22)} | ${ms(r.oldPrune).padStart(21)} |`,
  );
}
console.log(
  "\nGET /stats through app.request with a fake RPC (one eth_call). appendBlocks: one cursor block per call, one\n" +
    "fsync'd transaction (WAL, synchronous=FULL), pruning cursor rows more than 10,000 blocks old; the first call after\n" +
    "a start prunes the whole backlog once. The old prune DELETE is timed alone, rolled back (no commit).",
);
