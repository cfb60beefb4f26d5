// Worker thread of proofWriter: commits batches of proofs on its own SQLite connection, so the fsync of a durable
// commit never blocks the thread that answers HTTP requests.
import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";

type Batch = { id: number; proofs: [sender: string, openBlock: string, balance: string, signature: string][] };

const db = new DatabaseSync(String(workerData.path));
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
const upsert = db.prepare(
  `INSERT INTO proofs (sender, open_block, balance, signature) VALUES (?, ?, ?, ?)
   ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance, signature = excluded.signature`,
);

parentPort?.on("message", (batch: Batch | "close") => {
  if (batch === "close") {
    db.close();
    parentPort?.close();
    return;
  }
  try {
    db.exec("BEGIN IMMEDIATE");
    try {
      for (const [sender, openBlock, balance, signature] of batch.proofs) {
        upsert.run(sender, BigInt(openBlock), balance, signature);
      }
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
