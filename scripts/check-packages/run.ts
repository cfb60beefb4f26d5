// Child processes for the package check: run one to completion, or start a server and wait for its address line.
import { type ChildProcess, spawn } from "node:child_process";

export type RunOptions = { cwd: string; env: NodeJS.ProcessEnv };
export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs a command to its end and returns what it printed (never throws on a non-zero exit: callers assert). */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export type RunningProcess = { child: ChildProcess; output(): string; stop(): Promise<void> };

/**
 * Starts a long-running command and resolves once a line of its stdout matches `ready` (with the match), or rejects
 * with everything it printed when it exits first.
 */
export function start(
  command: string,
  args: readonly string[],
  options: RunOptions & { ready: RegExp },
): Promise<{ process: RunningProcess; match: RegExpMatchArray }> {
  // Its own process group, so stop() also ends what it started (npx runs the real server as a grandchild).
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const running: RunningProcess = {
    child,
    output: () => output,
    async stop() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid, "SIGTERM");
      }
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(options.ready);
      if (match) {
        child.stdout.off("data", onData);
        child.stdout.on("data", (more: Buffer) => {
          output += more.toString();
        });
        resolve({ process: running, match });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`${command} ${args.join(" ")} exited (${code}):\n${output}`)));
  });
}
