// Where one `npm start` keeps what it writes. Two demos on one machine run on other ports (PORT, CHAIN_PORT), and
// every fresh local chain deploys the same contracts at the same addresses: a data file named by the chain and the
// manager alone was shared by both, and each start deleted it under the other. A demo's files live in the directory
// of its ports instead, which no demo on other ports opens or deletes.
import { access, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Deployment } from "@micro-raiden/web-client/protocol";

export type DemoPorts = {
  /** The receiver's port (PORT). */
  port: number;
  /** The local chain's port (CHAIN_PORT); none when the demo runs against another chain (RPC_URL). */
  chainPort?: number;
};

/** The directory of the demo on these ports, inside the demos' data directory (`demo-server/.data/`). */
export function demoRunDirectory(dataDir: string, { port, chainPort }: DemoPorts): string {
  return join(dataDir, chainPort === undefined ? `port-${port}` : `port-${port}-chain-${chainPort}`);
}

/** SQLite's database file and the two it keeps beside it. */
const suffixes = ["", "-wal", "-shm"];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The receiver's database of the demo in `runDirectory` for `deployment` (created with the directory if missing).
 *
 * `fresh`: the chain just started empty (a local one), reusing addresses and block numbers, so the proofs of the last
 * run on these ports would haunt its channels: they are removed first. Otherwise (another chain) the data is kept
 * across restarts, and a database from before demos were kept per ports (`demo-<chainId>-<manager>.db` in the data
 * directory itself) moves into the run's directory once: the receiver's proofs are what it is paid with.
 */
export async function demoDatabase(
  runDirectory: string,
  deployment: Pick<Deployment, "chainId" | "channelManager">,
  { fresh }: { fresh: boolean },
): Promise<string> {
  await mkdir(runDirectory, { recursive: true });
  const name = `demo-${deployment.chainId}-${deployment.channelManager.slice(2, 10)}.db`;
  const path = join(runDirectory, name);
  if (fresh) {
    await Promise.all(suffixes.map((suffix) => rm(`${path}${suffix}`, { force: true })));
  } else {
    const legacy = join(runDirectory, "..", name);
    if ((await exists(legacy)) && !(await exists(path))) {
      for (const suffix of suffixes) {
        if (await exists(`${legacy}${suffix}`)) await rename(`${legacy}${suffix}`, `${path}${suffix}`);
      }
    }
  }
  return path;
}
