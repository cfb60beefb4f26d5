// Worker thread of proofWriter: commits batches of proofs on its own SQLite connection, so the fsync of a durable
// commit never blocks the thread that answers HTTP requests.
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";
import { sqliteEarningsRecorder } from "./sqliteEarnings.ts";
import { upsertProofSql } from "./upsertProofSql.ts";

type Batch = {
  id: number;
  proofs: [sender: string, openBlock: string, balance: string, signature: string, request: string, at: number][];
};

const db = new DatabaseSync(String(workerData.path));
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
const upsert = db.prepare(upsertProofSql);
const recordEarnings = sqliteEarningsRecorder(db);

parentPort?.on("message", (batch: Batch | "close") => {
  if (batch === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    db.exec("BEGIN IMMEDIATE");
    try {
      const proofs = batch.proofs.map(([sender, openBlock, balance, signature, request, committedAt]) => ({
        sender,
        openBlock: BigInt(openBlock),
        balance: BigInt(balance),
        signature,
        request,
        committedAt,
      }));
      recordEarnings(proofs, (p) => {
        upsert.run(p.sender, p.openBlock, p.balance.toString(), p.signature, p.request, p.committedAt);
      });
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    parentPort?.postMessage({ id: batch.id });
  } catch (error) {
    parentPort?.postMessage({ id: batch.id, error: error instanceof Error ? error.message : String(error) });
  }
});
