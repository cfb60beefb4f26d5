import { Worker } from "node:worker_threads";
import type { ChannelTotals } from "./records.ts";

/** Adds up the /stats totals off the HTTP thread. */
export type TotalsReader = {
  read(confirmedBlock: bigint): Promise<ChannelTotals>;
  close(): Promise<void>;
};

/**
 * A TotalsReader on a worker thread with its own read connection to the store's SQLite file (WAL lets it read beside
 * the writers): the totals' aggregate over every channel (half a second at 100,000 channels) never holds up the
 * thread answering paid requests. The schema must exist: open the file with sqliteStore first.
 */
export function sqliteTotalsReader(path: string): TotalsReader {
  const pending = new Map<number, { resolve: (totals: ChannelTotals) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let dead: Error | undefined;
  const die = (error: Error) => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(dead);
    pending.clear();
  };
  // Started at the first /stats, not with the receiver: its start would compete with the first payments for the CPU.
  let worker: Worker | undefined;
  function started(): Worker {
    if (worker) return worker;
    // Built, this module is sqliteTotalsReader.js beside its worker's .js; run from the sources, both end in .ts.
    const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    worker = new Worker(new URL(`./sqliteTotalsReaderWorker${extension}`, import.meta.url), { workerData: { path } });
    // Only /stats waits on it: it must not keep the process alive by itself.
    worker.unref();
    worker.on("message", (message: { id: number; totals?: ChannelTotals; error?: string }) => {
      const entry = pending.get(message.id);
      pending.delete(message.id);
      if (message.totals) entry?.resolve(message.totals);
      else entry?.reject(new Error(`Adding up the totals failed: ${message.error}`));
    });
    worker.on("error", (error) => die(new Error(`The totals reader failed: ${error.message}`)));
    worker.on("exit", (code) => die(new Error(`The totals reader stopped (exit code ${code}).`)));
    return worker;
  }
  return {
    read(confirmedBlock) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        started().postMessage({ id, confirmedBlock });
      });
    },
    async close() {
      if (!worker || dead) return;
      const stopping = worker;
      stopping.postMessage("close");
      await new Promise((resolve) => stopping.once("exit", resolve));
    },
  };
}
