// Worker thread of sqliteTotalsReader: adds up the /stats totals on its own connection to the store's file.
import { parentPort, workerData } from "node:worker_threads";
import { sqliteStore } from "./sqliteStore.ts";

const store = sqliteStore(String(workerData.path));

parentPort?.on("message", (request: { id: number; confirmedBlock: bigint } | "close") => {
  if (request === "close") {
    store.close();
    parentPort?.close();
    return;
  }
  try {
    parentPort?.postMessage({ id: request.id, totals: store.channelTotals(request.confirmedBlock) });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
