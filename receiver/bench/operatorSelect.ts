// npm run bench:operator-select — what the operator's withdraw and close-all read from the store when a receiver has
// been paid on CHANNELS channels (default 100,000) and most of them are paid out: channels filled as in
// bench:channel-book (bench/fillChannels.ts), then all but one in SETTLED_EVERY (default 100) settled on chain. Times,
// on the thread answering requests and through the store the receiver opens (SQLite's file; PostgreSQL's
// synchronous connection), the selection they made before (every paid channel) and the ones they make now (paid and
// not settled; for withdraw also owing more than was withdrawn), and the listing the REST API's open channels read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { getAddress, toHex } from "viem";
import { ChannelBook } from "../src/receiver/channelBook.ts";
import type { AsyncProofStore } from "../src/store/AsyncProofStore.ts";
import type { ProofStore } from "../src/store/ProofStore.ts";
import { postgresStore } from "../src/store/postgresStore.ts";
import type { ChainEvent, ChannelFilter } from "../src/store/records.ts";
import { sqliteStore } from "../src/store/sqliteStore.ts";
import { syncPostgresStore } from "../src/store/syncPostgresStore.ts";
import { createTestDatabase } from "../src/store/testing/createTestDatabase.test-helper.ts";
import { benchPayer, fillChannels } from "./fillChannels.ts";

const channels = Number(process.env.CHANNELS ?? 100_000);
const settledEvery = Number(process.env.SETTLED_EVERY ?? 100);

/** Fills the store, then settles every channel but one in `settledEvery` (in blocks after the filled head). */
async function fill(store: ProofStore | AsyncProofStore): Promise<void> {
  const head = await fillChannels(store, channels);
  const batch = 5000;
  for (let from = 0; from < channels; from += batch) {
    const events: ChainEvent[] = [];
    for (let i = from; i < Math.min(channels, from + batch); i++) {
      if (i % settledEvery === 0) continue;
      const sender = i === Math.floor(channels / 2) ? benchPayer.address : getAddress(toHex(i + 1, { size: 20 }));
      const block = head + 1n + BigInt(Math.floor(i / 1000));
      events.push({
        blockNumber: block,
        blockHash: toHex(block, { size: 32 }),
        logIndex: i % 1000,
        transactionHash: toHex(block * 1000n + BigInt(i % 1000), { size: 32 }),
        name: "ChannelSettled",
        sender,
        openBlock: BigInt(2 * i + 1),
        amounts: { balance: BigInt(i + 1) * 1000n },
      });
    }
    const blocks = [...new Set(events.map((e) => e.blockNumber))].map((number) => ({
      number,
      hash: toHex(number, { size: 32 }),
    }));
    await store.appendBlocks(blocks, events);
  }
}

const selections: [string, ChannelFilter][] = [
  ["withdraw / close-all before: every paid channel", { paid: true }],
  ["withdraw now: paid, not settled, owing", { paid: true, unsettled: true, owing: true }],
  ["close-all now: paid, not settled", { paid: true, unsettled: true }],
  ["REST open channels now: not settled", { unsettled: true }],
];

/** Each selection through a channel book over `store`, as the receiver makes it: milliseconds and channels. */
function measure(kind: string, store: ProofStore): { kind: string; what: string; ms: number; found: number }[] {
  const book = new ChannelBook({ store });
  return selections.map(([what, filter]) => {
    const start = performance.now();
    const found = book.select(filter).length;
    return { kind, what, ms: performance.now() - start, found };
  });
}

const rows: ReturnType<typeof measure> = [];
const folder = mkdtempSync(join(tmpdir(), "bench-select-"));
try {
  console.log(`SQLite, ${channels} channels: filling…`);
  const sqlite = sqliteStore(join(folder, "receiver.db"));
  await fill(sqlite);
  rows.push(...measure("SQLite", sqlite));
  sqlite.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
const database = await createTestDatabase();
try {
  console.log(`PostgreSQL, ${channels} channels: filling…`);
  const writes = await postgresStore(database.url);
  await fill(writes);
  await writes.close();
  const store = await syncPostgresStore(database.url);
  rows.push(...measure("PostgreSQL", store));
  store.close();
} finally {
  await database.drop();
}

console.log(
  `\n${channels} paid channels, all but one in ${settledEvery} settled\n| store | selection | ms | channels |\n|---|---|---:|---:|`,
);
for (const r of rows) console.log(`| ${r.kind} | ${r.what} | ${r.ms.toFixed(0)} | ${r.found} |`);
process.exit(0);
