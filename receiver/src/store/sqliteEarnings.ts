import type { DatabaseSync } from "node:sqlite";
import { earningsHourMs, resourceOf } from "./earningsKey.ts";
import type { EarningsRecord } from "./records.ts";

/** What the earnings need of a proof about to be stored. */
export type EarningProof = {
  sender: string;
  openBlock: bigint;
  balance: bigint;
  /** `METHOD /path?query` it paid for. */
  request: string;
  committedAt: number;
};

/**
 * Stores a batch of proofs (`storeProof` writes one) and adds what each earned (its balance above the stored
 * one) to its hour's and resource's earnings. Call it inside the transaction. Each proof's stored balance is read
 * just before it is written, as one at a time would; the earnings rows are read and written once per hour and
 * resource of the batch rather than once per proof (a batch of concurrent payments mostly shares one page: half the
 * statements of a commit). The sums are done here as bigints: SQLite's integers stop at 2^63, which an 18-decimal
 * token's amounts pass. Shared by the store and the proof writer's worker thread (its own connection), so both count
 * the same.
 */
export function sqliteEarningsRecorder(db: DatabaseSync) {
  const storedBalance = db.prepare("SELECT balance FROM proofs WHERE sender = ? AND open_block = ?");
  const storedEarnings = db.prepare("SELECT amount, payments FROM earnings WHERE hour = ? AND resource = ?");
  const upsert = db.prepare(
    `INSERT INTO earnings (hour, resource, amount, payments) VALUES (?, ?, ?, ?)
     ON CONFLICT (hour, resource) DO UPDATE SET amount = excluded.amount, payments = excluded.payments`,
  );
  return <Proof extends EarningProof>(proofs: readonly Proof[], storeProof: (proof: Proof) => void): void => {
    const earnings = new Map<string, { hour: number; resource: string; amount: bigint; payments: bigint }>();
    for (const proof of proofs) {
      const before = storedBalance.get(proof.sender, proof.openBlock)?.balance;
      storeProof(proof);
      const earned = proof.balance - (typeof before === "string" ? BigInt(before) : 0n);
      if (earned <= 0n) continue;
      const hour = Math.floor(proof.committedAt / earningsHourMs);
      const resource = resourceOf(proof.request);
      const key = `${hour} ${resource}`;
      const sum = earnings.get(key);
      if (sum) {
        sum.amount += earned;
        sum.payments += 1n;
      } else earnings.set(key, { hour, resource, amount: earned, payments: 1n });
    }
    for (const { hour, resource, amount, payments } of earnings.values()) {
      const row = storedEarnings.get(hour, resource);
      // The worker's connection reads integers as numbers, the store's as bigints.
      const stored = row?.payments;
      upsert.run(
        hour,
        resource,
        ((typeof row?.amount === "string" ? BigInt(row.amount) : 0n) + amount).toString(),
        (typeof stored === "bigint" || typeof stored === "number" ? BigInt(stored) : 0n) + payments,
      );
    }
  };
}

/** The earnings of every hour from the one holding `since` (ms) on, per resource, oldest first. */
export function loadSqliteEarnings(db: DatabaseSync, since: number): EarningsRecord[] {
  return db
    .prepare("SELECT hour, resource, amount, payments FROM earnings WHERE hour >= ? ORDER BY hour, resource")
    .all(Math.floor(since / earningsHourMs))
    .map((row) => {
      const { hour, resource, amount, payments } = row;
      if (
        typeof hour !== "bigint" ||
        typeof resource !== "string" ||
        typeof amount !== "string" ||
        !/^(0|[1-9][0-9]*)$/.test(amount) ||
        typeof payments !== "bigint"
      ) {
        throw new Error("Corrupt proof store: earnings.");
      }
      return { hourStart: Number(hour) * earningsHourMs, resource, amount: BigInt(amount), payments: Number(payments) };
    });
}
