// Starts one of the harness's Node programs (the chain, the receiver) as a child process on this Node, with the
// repo's source condition, and resolves with the first stdout line matching `ready` once it appears.
import { type ChildProcess, spawn } from "node:child_process";

export type SpawnedProcess = {
  child: ChildProcess;
  /** The `ready` match's first group. */
  value: string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and resolves once it exited. */
  stop(): Promise<void>;
  /** Kills it at once, as a crash would. */
  kill(): Promise<void>;
};

export async function spawnProcess(file: string, args: string[], ready: RegExp): Promise<SpawnedProcess> {
  const child = spawn(process.execPath, ["--conditions=@micro-raiden/source", file, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  let output = "";
  const value = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    void exited.then(() => reject(new Error(`${file} exited before it was ready:\n${output}`)));
  });
  return { child, value, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}
