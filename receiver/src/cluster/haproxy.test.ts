// Two receiver processes on one PostgreSQL database behind a real HAProxy (Debian's package), as the README sets it
// up: paid requests go through it to both, one receiver is killed, paying goes on, /stats is the same on each.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { apiPrefix } from "@micro-raiden/web-client/protocol";
import { startWatcherChain, TOKENS, type WatcherChain } from "../chain/watcherFixture.test-helper.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import { haproxyConfig } from "./haproxyConfig.ts";
import {
  createPayer,
  freePort,
  type ReceiverProcess,
  spawnReceiver,
  startUpstream,
} from "./testing/receiverProcess.test-helper.ts";

/** HAProxy from the system's packages (.ci/run installs Debian's), or undefined. */
function findHaproxy(): string | undefined {
  for (const candidate of ["haproxy", "/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]) {
    try {
      execFileSync(candidate, ["-v"], { stdio: "ignore" });
      return candidate;
    } catch {}
  }
  return undefined;
}
const haproxy = findHaproxy();

let fx: WatcherChain;
let database: TestDatabase;
let dir: string;
before(async () => {
  if (!haproxy) return;
  [fx, database, dir] = await Promise.all([
    startWatcherChain(),
    createTestDatabase(),
    mkdtemp(join(tmpdir(), "haproxy-test-")),
  ]);
});
after(async () => {
  await fx?.close();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function until<T>(check: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stats(url: string): Promise<unknown> {
  const response = await fetch(`${url}${apiPrefix}/stats`);
  assert.equal(response.status, 200);
  const { liquid_balance: _, ...rest } = await response.json();
  return rest;
}

describe("two receivers behind HAProxy", {
  skip: haproxy ? false : "HAProxy is not installed (apt-get install haproxy)",
}, () => {
  it("pays through it, keeps paying when a receiver is killed, and /stats is the same on each", async () => {
    const price = TOKENS / 1000n;
    const upstream = await startUpstream();
    const receivers: ReceiverProcess[] = [];
    let balancer: ChildProcess | undefined;
    try {
      const ports = [await freePort(), await freePort()];
      for (const port of ports) {
        const receiverDir = await mkdtemp(join(dir, "receiver-"));
        receivers.push(
          await spawnReceiver({
            dir: receiverDir,
            rpcUrl: fx.chain.rpcUrl,
            deployment: fx.deployment,
            privateKey: fx.receiverAccountKeyHex(),
            databaseUrl: database.url,
            port,
            upstream: { url: upstream.url, price },
          }),
        );
      }
      const frontend = await freePort();
      const config = join(dir, "haproxy.cfg");
      await writeFile(
        config,
        haproxyConfig({
          bind: `127.0.0.1:${frontend}`,
          servers: receivers.map((r) => `127.0.0.1:${r.port}`),
          servedByHeader: true,
        }),
      );
      balancer = spawn(haproxy ?? "haproxy", ["-f", config, "-db"], { stdio: ["ignore", "pipe", "pipe"] });
      const lb = `http://127.0.0.1:${frontend}`;
      await until(async () => ((await fetch(`${lb}/readyz`)).ok ? true : undefined), "HAProxy answers");

      const [alice, bob] = fx.senders;
      const payers = [];
      for (const sender of [alice, bob]) {
        await fx.mint(sender.address);
        const openBlock = await fx.open(sender, 10n * TOKENS);
        payers.push(
          createPayer({
            account: sender,
            openBlock,
            deployment: fx.deployment,
            receiver: fx.receiverAccount.address,
            price,
          }),
        );
      }

      const servedBy = new Set<string | null>();
      for (let i = 0; i < 6; i++) {
        for (const payer of payers) {
          const paid = await payer.pay([lb]);
          assert.equal(paid.status, 200);
          servedBy.add(paid.servedBy);
        }
      }
      assert.deepEqual([...servedBy].sort(), ["receiver1", "receiver2"], "both receivers took payments");
      // Whichever receiver answers, the same figures (each learned the other's payments from the database). Agreeing
      // is not enough: each missing the other's latest payment, both would show the same smaller sum for a moment.
      const expected = await until(async () => {
        const [one, two] = [await stats(receivers[0]?.url ?? ""), await stats(receivers[1]?.url ?? "")];
        const caughtUp = Reflect.get(one as object, "balance_sum") === (12n * price).toString();
        return caughtUp && JSON.stringify(one) === JSON.stringify(two) ? one : undefined;
      }, "both receivers' stats agree on every payment");
      assert.deepEqual(await stats(lb), expected);
      assert.deepEqual(await stats(lb), expected);

      // One receiver dies (whichever leads): paying through HAProxy goes on with the other.
      const victim = receivers[0] ?? assert.fail();
      victim.child.kill("SIGKILL");
      await victim.exited;
      for (let i = 0; i < 6; i++) {
        for (const payer of payers) assert.equal((await payer.pay([lb])).status, 200);
      }
      const survivor = receivers[1] ?? assert.fail();
      await until(async () => (survivor.leads() ? true : undefined), "the survivor leads");
      const after = await stats(lb);
      assert.equal(Reflect.get(after as object, "balance_sum"), (24n * price).toString());
      assert.deepEqual(await stats(survivor.url), after);
    } finally {
      balancer?.kill("SIGTERM");
      for (const receiver of receivers) receiver.child.kill("SIGKILL");
      await upstream.close();
    }
  });
});
