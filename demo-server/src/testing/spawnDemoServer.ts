// Runs the demo site's CLI (the receiver with the demo's routes) as its own process, for the crash test and the
// server benchmark.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Deployment } from "@micro-raiden/web-client/protocol";
import type { Hex } from "viem";

export type SpawnedDemoServer = { child: ChildProcess; url: string; exited: Promise<unknown> };

/**
 * Writes the key (0600) and deployment files into `dir`, starts the demo's `cli.ts start` with the store at `dir/receiver.db`
 * (or in `databaseUrl`)
 * on `port` (default: a free one), and resolves once it listens.
 */
export async function spawnDemoServer(parameters: {
  dir: string;
  rpcUrl: string;
  deployment: Deployment;
  privateKey: Hex;
  /** Extra options for the node binary, e.g. --cpu-prof. */
  nodeOptions?: string[];
  /** Extra options for `cli.ts start`, e.g. --verifier-threads 1. */
  args?: string[];
  pollIntervalMs?: number;
  /** Listen here (0: any free port). A restarted server keeps its clients' URL this way. */
  port?: number;
  /** Keep the state in this PostgreSQL database instead (its password passed as PGPASSWORD, not on the command line). */
  databaseUrl?: string | undefined;
}): Promise<SpawnedDemoServer> {
  const keyFile = join(parameters.dir, "receiver.key");
  const deploymentFile = join(parameters.dir, "deployment.json");
  await writeFile(keyFile, parameters.privateKey, { mode: 0o600 });
  await writeFile(deploymentFile, JSON.stringify(parameters.deployment));
  const database = parameters.databaseUrl === undefined ? undefined : withoutPassword(parameters.databaseUrl);
  const child = spawn(
    process.execPath,
    [
      ...(parameters.nodeOptions ?? []),
      fileURLToPath(new URL("../cli.ts", import.meta.url)),
      "start",
      "--rpc-url",
      parameters.rpcUrl,
      "--private-key-file",
      keyFile,
      "--deployment",
      deploymentFile,
      ...(database ? ["--database-url", database.url] : ["--db", join(parameters.dir, "receiver.db")]),
      "--port",
      String(parameters.port ?? 0),
      "--poll-interval",
      String(parameters.pollIntervalMs ?? 1000),
      ...(parameters.args ?? []),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: database ? { ...process.env, PGPASSWORD: database.password } : process.env,
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    // The output's last 64 kB, for the error should the receiver exit: a receiver under load logs for as long as
    // it runs, and neither keeping all of it nor searching all of it again on every chunk would do.
    let output = "";
    let listening = false;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-65_536);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      keep(chunk);
      const url = listening ? undefined : /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        listening = true;
        resolve({ child, url, exited });
      }
    });
    child.stderr?.on("data", keep);
    void exited.then((code) => reject(new Error(`receiver exited (${String(code)}): ${output}`)));
  });
}

function withoutPassword(databaseUrl: string): { url: string; password: string } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { url: url.href, password };
}
