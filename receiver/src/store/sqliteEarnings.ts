import type { DatabaseSync } from "node:sqlite";
import { earningsHourMs, resourceOf } from "./earningsKey.ts";
import type { EarningsRecord } from "./records.ts";

/**
 * Adds what a proof about to be stored earned (its balance above the stored one) to its hour's and resource's
 * earnings. Call it inside the transaction that stores the proof, before the upsert. The sum is done here as a
 * bigint: SQLite's integers stop at 2^63, which an 18-decimal token's amounts pass. Shared by the store and the
 * proof writer's worker thread (its own connection), so both count the same.
 */
export function sqliteEarningsRecorder(db: DatabaseSync) {
  const storedBalance = db.prepare("SELECT balance FROM proofs WHERE sender = ? AND open_block = ?");
  const storedEarnings = db.prepare("SELECT amount, payments FROM earnings WHERE hour = ? AND resource = ?");
  const upsert = db.prepare(
    `INSERT INTO earnings (hour, resource, amount, payments) VALUES (?, ?, ?, ?)
     ON CONFLICT (hour, resource) DO UPDATE SET amount = excluded.amount, payments = excluded.payments`,
  );
  return (sender: string, openBlock: bigint, balance: bigint, request: string, committedAt: number): void => {
    const before = storedBalance.get(sender, openBlock)?.balance;
    const earned = balance - (typeof before === "string" ? BigInt(before) : 0n);
    if (earned <= 0n) return;
    const hour = Math.floor(committedAt / earningsHourMs);
    const resource = resourceOf(request);
    const row = storedEarnings.get(hour, resource);
    const amount = (typeof row?.amount === "string" ? BigInt(row.amount) : 0n) + earned;
    // The worker's connection reads integers as numbers, the store's as bigints.
    const stored = row?.payments;
    const payments = (typeof stored === "bigint" || typeof stored === "number" ? BigInt(stored) : 0n) + 1n;
    upsert.run(hour, resource, amount.toString(), payments);
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
