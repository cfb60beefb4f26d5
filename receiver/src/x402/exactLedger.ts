import { chmodSync, closeSync, openSync } from "node:fs";
import postgres from "postgres";
import { type Address, getAddress, type Hash, type Hex, isHex } from "viem";
import { assertNodeVersion } from "../store/assertNodeVersion.ts";

/** One `exact` payment: an EIP-3009 authorization, identified as the token identifies it. */
export type ExactPaymentKey = { token: Address; payer: Address; nonce: Hex };

export type ExactPaymentRecord = ExactPaymentKey & {
  amount: bigint;
  /** `METHOD /path?query` it paid for. */
  request: string;
  /** `settling` from before the transaction is sent until its receipt; then `settled`. */
  state: "settling" | "settled";
  transaction: Hash | undefined;
};

/**
 * The receiver's durable record of `exact` payments, beside the token's own nonce: an authorization is reserved here
 * before it is settled (so two requests carrying it never both pass, and one already taken is refused without
 * touching the chain), marked settled with its transaction once the receipt is in, and released — as if never
 * seen — when settlement did not happen.
 */
export type ExactLedger = {
  /** True when the authorization was not known and is now reserved; false when it was seen before. */
  reserve(record: Omit<ExactPaymentRecord, "state" | "transaction">): Promise<boolean>;
  settled(key: ExactPaymentKey, transaction: Hash): Promise<void>;
  /** Forgets a reservation whose settlement did not happen (a settled record stays). */
  release(key: ExactPaymentKey): Promise<void>;
  list(): Promise<ExactPaymentRecord[]>;
  close(): Promise<void>;
};

// Its own table, created if absent, rather than a migration of the proof stores: it is read and written only here.
const createTable = `CREATE TABLE IF NOT EXISTS x402_exact_payments (
  token TEXT NOT NULL,
  payer TEXT NOT NULL,
  nonce TEXT NOT NULL,
  amount TEXT NOT NULL,
  request TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('settling', 'settled')),
  transaction_hash TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (token, payer, nonce)
)`;

function recordFromRow(row: Record<string, unknown>): ExactPaymentRecord {
  const text = (column: string): string => {
    const value = row[column];
    if (typeof value !== "string") throw new Error(`Corrupt x402 ledger: ${column} is not text.`);
    return value;
  };
  const hex = (column: string): Hex => {
    const value = text(column);
    if (!isHex(value)) throw new Error(`Corrupt x402 ledger: ${column} is not hex.`);
    return value;
  };
  const state = text("state");
  if (state !== "settling" && state !== "settled") throw new Error("Corrupt x402 ledger: state.");
  const amount = text("amount");
  if (!/^(0|[1-9][0-9]*)$/.test(amount)) throw new Error("Corrupt x402 ledger: amount.");
  return {
    token: getAddress(text("token")),
    payer: getAddress(text("payer")),
    nonce: hex("nonce"),
    amount: BigInt(amount),
    request: text("request"),
    state,
    transaction: row.transaction_hash === null ? undefined : hex("transaction_hash"),
  };
}

const keyOf = (key: ExactPaymentKey) =>
  [getAddress(key.token), getAddress(key.payer), key.nonce.toLowerCase()] as const;

/** The ledger in the receiver's SQLite file (its own connection; a commit is on disk when it returns). */
export function sqliteExactLedger(path: string): ExactLedger {
  assertNodeVersion(process.version);
  const { DatabaseSync } = process.getBuiltinModule("node:sqlite");
  if (path !== ":memory:") {
    closeSync(openSync(path, "a", 0o600));
    chmodSync(path, 0o600);
  }
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
  db.exec(`${createTable} STRICT`.replace("BIGINT", "INTEGER"));
  const insert = db.prepare(
    `INSERT INTO x402_exact_payments (token, payer, nonce, amount, request, state, created_at)
     VALUES (?, ?, ?, ?, ?, 'settling', ?) ON CONFLICT DO NOTHING`,
  );
  const settle = db.prepare(
    "UPDATE x402_exact_payments SET state = 'settled', transaction_hash = ? WHERE token = ? AND payer = ? AND nonce = ?",
  );
  const remove = db.prepare(
    "DELETE FROM x402_exact_payments WHERE token = ? AND payer = ? AND nonce = ? AND state = 'settling'",
  );
  const all = db.prepare("SELECT * FROM x402_exact_payments ORDER BY created_at, rowid");
  return {
    async reserve(record) {
      const result = insert.run(...keyOf(record), record.amount.toString(), record.request, Date.now());
      return Number(result.changes) === 1;
    },
    async settled(key, transaction) {
      settle.run(transaction.toLowerCase(), ...keyOf(key));
    },
    async release(key) {
      remove.run(...keyOf(key));
    },
    async list() {
      return all.all().map(recordFromRow);
    },
    async close() {
      db.close();
    },
  };
}

/** The ledger in the receiver's PostgreSQL database (one table, created under a lock when receivers start at once). */
export async function postgresExactLedger(url: string): Promise<ExactLedger> {
  const sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('x402_exact_payments'))`;
      await tx.unsafe(createTable);
    });
  } catch (error) {
    await sql.end();
    throw error;
  }
  return {
    async reserve(record) {
      const [token, payer, nonce] = keyOf(record);
      const rows = await sql`
        INSERT INTO x402_exact_payments (token, payer, nonce, amount, request, state, created_at)
        VALUES (${token}, ${payer}, ${nonce}, ${record.amount.toString()}, ${record.request}, 'settling', ${Date.now()})
        ON CONFLICT DO NOTHING RETURNING 1`;
      return rows.length === 1;
    },
    async settled(key, transaction) {
      const [token, payer, nonce] = keyOf(key);
      await sql`UPDATE x402_exact_payments SET state = 'settled', transaction_hash = ${transaction.toLowerCase()}
        WHERE token = ${token} AND payer = ${payer} AND nonce = ${nonce}`;
    },
    async release(key) {
      const [token, payer, nonce] = keyOf(key);
      await sql`DELETE FROM x402_exact_payments
        WHERE token = ${token} AND payer = ${payer} AND nonce = ${nonce} AND state = 'settling'`;
    },
    async list() {
      const rows = await sql`SELECT token, payer, nonce, amount, request, state, transaction_hash
        FROM x402_exact_payments ORDER BY created_at`;
      return rows.map((row) => recordFromRow({ ...row }));
    },
    async close() {
      await sql.end();
    },
  };
}

/** The ledger where the receiver keeps its state: its SQLite file or its PostgreSQL database. */
export function openExactLedger(location: { dbPath?: string | undefined; databaseUrl?: string | undefined }) {
  if (location.databaseUrl !== undefined) return postgresExactLedger(location.databaseUrl);
  if (location.dbPath !== undefined) return Promise.resolve(sqliteExactLedger(location.dbPath));
  throw new Error("The x402 ledger needs the receiver's dbPath or databaseUrl.");
}
