// Worker thread of syncPostgresStore: runs postgresStore and answers each call on the port, then wakes the waiting
// thread through the shared slot (the answer is posted first, so it is there when that thread looks).
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { AsyncProofStore } from "./AsyncProofStore.ts";
import { postgresStore } from "./postgresStore.ts";
import type { SyncPostgresAnswer } from "./syncPostgresStore.ts";

const { url, port, answered } = workerData as { url: string; port: MessagePort; answered: Int32Array };

try {
  // The main thread's own postgresStore takes the proof writes; these calls are one at a time.
  const store = await postgresStore(url, { maxConnections: 1 });
  port.on("message", async ({ id, method, args }: { id: number; method: keyof AsyncProofStore; args: unknown[] }) => {
    let answer: SyncPostgresAnswer;
    try {
      const run = store[method] as (...a: unknown[]) => Promise<unknown>;
      answer = { id, value: await run(...args) };
    } catch (error) {
      answer = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(answer);
    Atomics.store(answered, 0, id);
    Atomics.notify(answered, 0);
    if (method === "close") port.close();
  });
  parentPort?.postMessage({ ready: true });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
