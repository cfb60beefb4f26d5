import { Worker } from "node:worker_threads";
import type { ProofRecord } from "./records.ts";

/** Commits batches of proofs durably; resolves when the batch is on disk. */
export type ProofWriter = {
  write(proofs: readonly ProofRecord[]): Promise<void>;
  close(): Promise<void>;
};

/**
 * A ProofWriter on a worker thread with its own connection to the store's SQLite file (WAL lets both connections
 * work side by side). The durable commit's fsync then happens off the HTTP thread. The schema must exist: open
 * the file with sqliteStore first.
 *
 * Internal to the receiver, not exported by `@micro-raiden/receiver`: `startReceiver` makes one beside its store.
 *
 * @example
 * import { sqliteStore } from "./store/sqliteStore.ts"; // as startReceiver.ts imports them
 * import { workerProofWriter } from "./store/proofWriter.ts";
 * const store = sqliteStore("receiver.db"); // creates the schema first
 * const writer = workerProofWriter("receiver.db");
 * await writer.write(proofs); // resolves once they are on disk
 * await writer.close();
 * store.close();
 */
export function workerProofWriter(path: string): ProofWriter {
  // Built, this module is proofWriter.js beside proofWriterWorker.js; run from the sources, both end in .ts.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const worker = new Worker(new URL(`./proofWriterWorker${extension}`, import.meta.url), { workerData: { path } });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  // Once the worker is gone every write must fail at once: a write that never settles would hold its channel
  // (and every later payment on it) forever.
  let dead: Error | undefined;
  const die = (error: Error) => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(dead);
    pending.clear();
  };
  worker.on("message", (message: { id: number; error?: string }) => {
    const entry = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) entry?.reject(new Error(`Storing proofs failed: ${message.error}`));
    else entry?.resolve();
  });
  worker.on("error", (error) => die(new Error(`The proof writer failed: ${error.message}`)));
  worker.on("exit", (code) => die(new Error(`The proof writer stopped (exit code ${code}).`)));
  return {
    write(proofs) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({
          id,
          proofs: proofs.map((p) => [
            p.sender,
            p.openBlock.toString(),
            p.balance.toString(),
            p.signature,
            p.request,
            p.committedAt,
          ]),
        });
      });
    },
    async close() {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}
