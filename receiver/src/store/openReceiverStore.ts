import type { ProofStore } from "./ProofStore.ts";
import { postgresStore } from "./postgresStore.ts";
import { type ProofWriter, workerProofWriter } from "./proofWriter.ts";
import type { RateEvents } from "./RateEvents.ts";
import type { SharedPayments } from "./SharedPayments.ts";
import { sqliteStore } from "./sqliteStore.ts";
import { sqliteTotalsReader, type TotalsReader } from "./sqliteTotalsReader.ts";
import { syncPostgresStore } from "./syncPostgresStore.ts";

/** Where a receiver keeps its state: exactly one of a SQLite file or a PostgreSQL database. */
export type ReceiverStoreLocation = { dbPath?: string | undefined; databaseUrl?: string | undefined };

/**
 * Opens the receiver's store and the writer its paid requests commit proofs through (off the HTTP thread's way):
 * SQLite's worker thread on `dbPath`, or PostgreSQL's asynchronous connection on `databaseUrl` — which is also what
 * receivers sharing the database decide payments through (`shared`). Rate limits count their events in it too
 * (`rateEvents`): in the one file, or shared by every receiver on the database.
 */
export async function openReceiverStore(location: ReceiverStoreLocation): Promise<{
  store: ProofStore;
  proofWriter: ProofWriter;
  rateEvents: RateEvents;
  shared?: SharedPayments | undefined;
  /** Adds up the /stats totals off the HTTP thread (SQLite; a shared database adds them up through `shared`). */
  readTotals?: TotalsReader["read"] | undefined;
}> {
  const { dbPath, databaseUrl } = location;
  if ((dbPath === undefined) === (databaseUrl === undefined)) {
    throw new Error("Give the receiver either dbPath (SQLite) or databaseUrl (PostgreSQL), not both or neither.");
  }
  if (dbPath !== undefined) {
    const store = sqliteStore(dbPath); // creates the schema before the writer's and the reader's connections open
    const writer = workerProofWriter(dbPath);
    const totals = sqliteTotalsReader(dbPath);
    // Closing the writer closes the reader beside it: both are the store's threads.
    const close = async () => {
      await totals.close();
      await writer.close();
    };
    return { store, proofWriter: { write: writer.write, close }, rateEvents: store, readTotals: totals.read };
  }
  if (!/^postgres(ql)?:\/\//.test(databaseUrl ?? "")) {
    // Not the URL itself: it may hold a password.
    throw new Error("databaseUrl must be a postgres:// or postgresql:// URL.");
  }
  const url = databaseUrl ?? "";
  // Migrates first, so the store below finds the schema in place.
  const writes = await postgresStore(url);
  try {
    const store = await syncPostgresStore(url);
    // Paid requests commit through `shared` (compare-and-set); the writer is what closes the connection.
    return {
      store,
      proofWriter: { write: (proofs) => writes.saveProofs(proofs), close: () => writes.close() },
      shared: writes,
      rateEvents: writes,
    };
  } catch (error) {
    await writes.close();
    throw error;
  }
}
