// npm run bench:server — paid requests per second and latency of the receiver, beside a free resource.
//
// A real Hardhat node (in this process), the receiver as its own process (the CLI, SQLite store with durable
// commits), and the load generator as a third process: 50 concurrent senders, each with its own channel, each
// paying sequentially with pre-signed proofs (so signing does not slow the load generator).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startTestChain } from "@micro-raiden/contracts/testing";
import { parseEther, toHex } from "viem";
import { spawnDemoServer } from "../src/testing/spawnDemoServer.ts";
import { paidPlan } from "./paidPlan.ts";

// --store postgres --receivers 1,2,3: SQLite against PostgreSQL with 1, 2, 3 receivers (serverStores.ts) instead.
if (process.argv.includes("--store")) {
  await import("./serverStores.ts");
  process.exit();
}
// --exact: the channel row beside x402's `exact` row, on USDC's own token (serverExact.ts).
if (process.argv.includes("--exact")) {
  await import("./serverExact.ts");
  process.exit();
}
const SENDERS = Number(process.env.SENDERS ?? 50);
const PER_SENDER = Number(process.env.PER_SENDER ?? 300);
// Free and paid load alternate in rounds (each sender's proofs continue from round to round), and the figures are
// the rounds' medians: the machine's other work then weighs on both alike.
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// Then free and paid once more at a fixed rate (RATE requests per second over all senders, AT_RATE requests each):
// the latency a reader meets when the receiver is not saturated, which the closed rounds above cannot show (there the
// senders queue behind each other, and the load generator shares the machine's cores).
const RATE = Number(process.env.RATE ?? 1000);
const AT_RATE = Number(process.env.AT_RATE ?? 60);
// First a free and a paid round of WARMUP requests per sender, not counted: V8 optimizes the receiver's hot paths over
// its first ~15,000 paid requests (the paid path has more code than the free one), a cost a long-running server pays
// once, which otherwise lands in the measured rounds (the optimizing compiler's threads took 0.02 ms per paid request
// there after 100 requests per sender of warm-up, 0.006 ms after 300).
const WARMUP = Number(process.env.WARMUP ?? 300);
const price = parseEther("0.0001"); // /echodyn/x: one character

const chain = await startTestChain();
const dir = await mkdtemp(join(tmpdir(), "bench-server-"));
const receiver = chain.accounts[2];
if (!receiver) throw new Error("accounts");
const { deployment } = chain;

const paid = await paidPlan({
  chain,
  receiver: receiver.address,
  senders: SENDERS,
  perSender: WARMUP + PER_SENDER + AT_RATE,
  price,
  path: "/echodyn/x",
});
const warmup = paid.map((plan) => plan.slice(0, WARMUP));
await writeFile(join(dir, "paid-warmup.json"), JSON.stringify({ senders: warmup }));
await writeFile(
  join(dir, "free-warmup.json"),
  JSON.stringify({ senders: warmup.map((plan) => plan.map(() => ({ path: "/free", headers: {} }))) }),
);
const perRound = Math.ceil(PER_SENDER / ROUNDS);
for (let round = 0; round < ROUNDS; round++) {
  const part = paid.map((plan) => plan.slice(WARMUP + round * perRound, WARMUP + (round + 1) * perRound));
  const free = part.map((plan) => plan.map(() => ({ path: "/free", headers: {} })));
  await writeFile(join(dir, `paid-${round}.json`), JSON.stringify({ senders: part }));
  await writeFile(join(dir, `free-${round}.json`), JSON.stringify({ senders: free }));
}
const atRate = paid.map((plan) => plan.slice(WARMUP + PER_SENDER));
await writeFile(join(dir, "paid-rate.json"), JSON.stringify({ senders: atRate }));
await writeFile(
  join(dir, "free-rate.json"),
  JSON.stringify({ senders: atRate.map((plan) => plan.map(() => ({ path: "/free", headers: {} }))) }),
);

const { child: server, url } = await spawnDemoServer({
  dir,
  rpcUrl: chain.rpcUrl,
  deployment,
  privateKey: toHex(receiver.getHdKey().privateKey ?? new Uint8Array()),
  nodeOptions: process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [],
  args: process.env.VERIFIER_THREADS ? ["--verifier-threads", process.env.VERIFIER_THREADS] : [],
});

/** CPU time (user + system) in ms from a /proc stat line; clock ticks are 10 ms on Linux. */
function cpuMsOf(stat: string | undefined): number | undefined {
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the
  // 14th field, stime the 15th.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields?.[11]);
  const stime = Number(fields?.[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
}

/** The receiver's threads by the names Node gives them: the one answering HTTP, worker threads, V8's own. */
const threadKinds: Record<string, string> = { MainThread: "HTTP", WorkerThread: "workers", V8Worker: "V8" };

/**
 * The receiver process's CPU time so far, in ms, in all (from /proc, Linux; undefined elsewhere) and by kind of
 * thread: the HTTP thread, worker threads (the proof writer; signature checkers with --verifier-threads), V8's (the
 * garbage collector's helpers and the optimizing compiler), other. Ticks of 10 ms are a rounding error over a round.
 */
async function receiverCpu(): Promise<{ total: number; byKind: Record<string, number> } | undefined> {
  const total = cpuMsOf(await readFile(`/proc/${server.pid}/stat`, "utf8").catch(() => undefined));
  if (total === undefined) return undefined;
  const byKind: Record<string, number> = {};
  for (const task of await readdir(`/proc/${server.pid}/task`).catch(() => [])) {
    const [stat, name] = await Promise.all(
      ["stat", "comm"].map((file) => readFile(`/proc/${server.pid}/task/${task}/${file}`, "utf8").catch(() => "")),
    );
    const kind = threadKinds[name?.trim() ?? ""] ?? "other";
    byKind[kind] = (byKind[kind] ?? 0) + (cpuMsOf(stat) ?? 0);
  }
  return { total, byKind };
}

type Result = {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Receiver CPU per request in ms, undefined where /proc is not there. */
  cpuMs?: number | undefined;
  /** The same by kind of thread (see receiverCpu). */
  cpuMsByKind?: Record<string, number> | undefined;
};
async function load(file: string, rate?: number): Promise<Result> {
  const cpuBefore = await receiverCpu();
  const { stdout } = await promisify(execFile)(process.execPath, [
    fileURLToPath(new URL("./load.ts", import.meta.url)),
    join(dir, file),
    url,
    ...(rate === undefined ? [] : [String(rate)]),
  ]);
  const cpuAfter = await receiverCpu();
  const result: Result = JSON.parse(stdout);
  if (cpuBefore && cpuAfter) {
    result.cpuMs = (cpuAfter.total - cpuBefore.total) / result.requests;
    result.cpuMsByKind = Object.fromEntries(
      Object.entries(cpuAfter.byKind).map(([kind, ms]) => [
        kind,
        (ms - (cpuBefore.byKind[kind] ?? 0)) / result.requests,
      ]),
    );
  }
  return result;
}

if (WARMUP > 0) {
  console.log("Warming up…");
  const warm = [await load("free-warmup.json"), await load("paid-warmup.json")];
  if (warm.some((r) => (r.statuses["200"] ?? 0) !== r.requests)) throw new Error("warm-up requests failed");
}
console.log("Measuring…\n");
const rounds: { free: Result; paid: Result }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const free = await load(`free-${round}.json`);
  rounds.push({ free, paid: await load(`paid-${round}.json`) });
}
const fixedRate = { free: await load("free-rate.json", RATE), paid: await load("paid-rate.json", RATE) };
server.kill("SIGTERM");
await chain.close();
await rm(dir, { recursive: true });

const cpu = (r: Result) => (r.cpuMs === undefined ? "n/a" : r.cpuMs.toFixed(3));
const row = (name: string, r: Result) =>
  `| ${name.padEnd(32)} | ${r.requests.toString().padStart(8)} | ${Math.round(r.perSecond).toString().padStart(10)} | ${r.p50.toFixed(2).padStart(8)} | ${r.p99.toFixed(2).padStart(8)} | ${cpu(r).padStart(12)} | ${JSON.stringify(r.statuses)}`;
console.log(`| ${"resource".padEnd(32)} | requests | requests/s | p50 (ms) | p99 (ms) | CPU/req (ms) | statuses`);
console.log(`|${"-".repeat(34)}|----------|------------|----------|----------|--------------|---------`);
for (const [i, { free, paid }] of rounds.entries()) {
  console.log(row(`free  GET /free (round ${i + 1})`, free));
  console.log(row(`paid  GET /echodyn/x (round ${i + 1})`, paid));
}
console.log(row(`free  GET /free (${RATE}/s)`, fixedRate.free));
console.log(row(`paid  GET /echodyn/x (${RATE}/s)`, fixedRate.paid));
const median = (values: number[]) => {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const of = (pick: (round: { free: Result; paid: Result }) => number | undefined) =>
  median(rounds.map(pick).filter((value) => value !== undefined));
console.log(`\nmedians of ${ROUNDS} rounds:`);
console.log(`paid/free throughput: ${of((r) => r.paid.perSecond / r.free.perSecond).toFixed(2)}`);
console.log(`paid p99: ${of((r) => r.paid.p99).toFixed(2)} ms, free p99: ${of((r) => r.free.p99).toFixed(2)} ms`);
if (rounds.every((r) => r.paid.cpuMs !== undefined && r.free.cpuMs !== undefined)) {
  console.log(
    `receiver CPU per request: paid ${of((r) => r.paid.cpuMs).toFixed(3)} ms, free ${of((r) => r.free.cpuMs).toFixed(3)} ms (free/paid ${of((r) => (r.free.cpuMs ?? 0) / (r.paid.cpuMs ?? 1)).toFixed(2)})`,
  );
  const kinds = ["HTTP", "workers", "V8", "other"];
  const byKind = (pick: (round: { free: Result; paid: Result }) => Result) =>
    kinds.map((kind) => `${kind} ${of((r) => pick(r).cpuMsByKind?.[kind] ?? 0).toFixed(3)}`).join(", ");
  console.log(`  by thread, paid: ${byKind((r) => r.paid)}; free: ${byKind((r) => r.free)} (ms)`);
}
console.log(
  `at a fixed ${RATE} requests/s (open loop, latency from each request's scheduled time): paid p50 ${fixedRate.paid.p50.toFixed(2)} ms, p99 ${fixedRate.paid.p99.toFixed(2)} ms; free p50 ${fixedRate.free.p50.toFixed(2)} ms, p99 ${fixedRate.free.p99.toFixed(2)} ms`,
);
console.log(
  `${SENDERS} concurrent senders, ${WARMUP} requests each to warm up (free, then paid; not counted), ${PER_SENDER} sequential requests each in ${ROUNDS} rounds, then ${AT_RATE} each at ${RATE}/s; SQLite WAL, synchronous=FULL; signature checks on ${process.env.VERIFIER_THREADS ? `${process.env.VERIFIER_THREADS} worker thread(s)` : "the default threads (--verifier-threads)"}.`,
);
if ([...rounds, fixedRate].some(({ paid }) => (paid.statuses["200"] ?? 0) !== paid.requests)) {
  console.log("WARNING: not every paid request was accepted.");
  process.exitCode = 1;
}
