import { fileURLToPath } from "node:url";
import type { ReceiverProcessOptions } from "./receiverProcess.ts";
import { type SpawnedProcess, spawnProcess } from "./spawnProcess.ts";

/** Starts the receiver as its own process (receiverProcess.ts); the result's `value` is the URL it listens on. */
export function spawnReceiver(options: ReceiverProcessOptions): Promise<SpawnedProcess> {
  return spawnProcess(
    fileURLToPath(new URL("./receiverProcess.ts", import.meta.url)),
    [JSON.stringify(options)],
    /listening on (http:\/\/\S+)/,
  );
}
