// npm run bench:server — paid requests per second and latency of the receiver, beside a free resource.
//
// A real Hardhat node (in this process), the receiver as its own process (the CLI, SQLite store with durable
// commits), and the load generator as a third process: 50 concurrent senders, each with its own channel, each
// paying sequentially with pre-signed proofs (so signing does not slow the load generator).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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
  perSender: PER_SENDER + AT_RATE,
  price,
  path: "/echodyn/x",
});
const perRound = Math.ceil(PER_SENDER / ROUNDS);
for (let round = 0; round < ROUNDS; round++) {
  const part = paid.map((plan) => plan.slice(round * perRound, (round + 1) * perRound));
  const free = part.map((plan) => plan.map(() => ({ path: "/free", headers: {} })));
  await writeFile(join(dir, `paid-${round}.json`), JSON.stringify({ senders: part }));
  await writeFile(join(dir, `free-${round}.json`), JSON.stringify({ senders: free }));
}
const atRate = paid.map((plan) => plan.slice(PER_SENDER));
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

/**
 * The receiver process's CPU time so far (all its threads, user + system), in ms, from /proc (Linux); undefined
 * elsewhere. Clock ticks are 10 ms on Linux, a rounding error over a run of thousands of requests.
 */
async function receiverCpuMs(): Promise<number | undefined> {
  const stat = await readFile(`/proc/${server.pid}/stat`, "utf8").catch(() => undefined);
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the
  // 14th field, stime the 15th.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields?.[11]);
  const stime = Number(fields?.[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
}

type Result = {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Receiver CPU per request in ms, undefined where /proc is not there. */
  cpuMs?: number | undefined;
};
async function load(file: string, rate?: number): Promise<Result> {
  const cpuBefore = await receiverCpuMs();
  const { stdout } = await promisify(execFile)(process.execPath, [
    fileURLToPath(new URL("./load.ts", import.meta.url)),
    join(dir, file),
    url,
    ...(rate === undefined ? [] : [String(rate)]),
  ]);
  const cpuAfter = await receiverCpuMs();
  const result: Result = JSON.parse(stdout);
  if (cpuBefore !== undefined && cpuAfter !== undefined) result.cpuMs = (cpuAfter - cpuBefore) / result.requests;
  return result;
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
}
console.log(
  `at a fixed ${RATE} requests/s (open loop, latency from each request's scheduled time): paid p50 ${fixedRate.paid.p50.toFixed(2)} ms, p99 ${fixedRate.paid.p99.toFixed(2)} ms; free p50 ${fixedRate.free.p50.toFixed(2)} ms, p99 ${fixedRate.free.p99.toFixed(2)} ms`,
);
console.log(
  `${SENDERS} concurrent senders, ${PER_SENDER} sequential requests each in ${ROUNDS} rounds, then ${AT_RATE} each at ${RATE}/s; SQLite WAL, synchronous=FULL; signature checks on ${process.env.VERIFIER_THREADS ? `${process.env.VERIFIER_THREADS} worker thread(s)` : "the default threads (--verifier-threads)"}.`,
);
if ([...rounds, fixedRate].some(({ paid }) => (paid.statuses["200"] ?? 0) !== paid.requests)) {
  console.log("WARNING: not every paid request was accepted.");
  process.exitCode = 1;
}
