import { chmodSync, closeSync, openSync } from "node:fs";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { getAddress, type Hex, isHex } from "viem";
import { assertNodeVersion } from "./assertNodeVersion.ts";
import type { ProofStore } from "./ProofStore.ts";
import type { RateEvents } from "./RateEvents.ts";
import { type ChainEvent, type ChannelFilter, isChannelEventName, type ProofRecord } from "./records.ts";
import { loadSqliteEarnings, sqliteEarningsRecorder } from "./sqliteEarnings.ts";
import { storedChannels } from "./storedChannels.ts";
import { upsertProofSql } from "./upsertProofSql.ts";

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`. Amounts are TEXT (decimal), never
 * REAL; block numbers are INTEGER (SQLite's 64-bit integers, read back as bigint).
 */
const migrations: string[] = [
  `CREATE TABLE proofs (
     sender TEXT NOT NULL,
     open_block INTEGER NOT NULL,
     balance TEXT NOT NULL,
     signature TEXT NOT NULL,
     PRIMARY KEY (sender, open_block)
   ) STRICT;
   CREATE TABLE blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL) STRICT;
   CREATE TABLE events (
     block_number INTEGER NOT NULL,
     log_index INTEGER NOT NULL,
     block_hash TEXT NOT NULL,
     transaction_hash TEXT NOT NULL,
     name TEXT NOT NULL,
     sender TEXT NOT NULL,
     open_block INTEGER NOT NULL,
     amounts TEXT NOT NULL,
     signer TEXT,
     settle_block INTEGER,
     PRIMARY KEY (block_number, log_index)
   ) STRICT;
   CREATE TABLE challenges (
     sender TEXT NOT NULL,
     open_block INTEGER NOT NULL,
     balance TEXT NOT NULL,
     transaction_hash TEXT,
     last_error TEXT,
     PRIMARY KEY (sender, open_block)
   ) STRICT;`,
  // A closing signature handed out: the channel takes no more payments, also after a restart.
  `CREATE TABLE closing_agreements (
     sender TEXT NOT NULL,
     open_block INTEGER NOT NULL,
     balance TEXT NOT NULL,
     PRIMARY KEY (sender, open_block)
   ) STRICT;`,
  // What each latest proof paid for and when: a request cut off by a crash may be served again once, for free.
  `ALTER TABLE proofs ADD COLUMN request TEXT NOT NULL DEFAULT '';
   ALTER TABLE proofs ADD COLUMN committed_at INTEGER NOT NULL DEFAULT 0;`,
  // Events counted against the sponsored opens' rate limits (RateEvents): the limits hold across a restart.
  `CREATE TABLE rate_events (
     id INTEGER PRIMARY KEY,
     scope TEXT NOT NULL,
     key TEXT NOT NULL,
     at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX rate_events_key ON rate_events (scope, key, at);`,
  // What each hour earned from each resource (the operator's dashboard), added to as proofs are stored
  // (sqliteEarnings.ts). The amount is TEXT: its sum is a bigint, as every amount.
  `CREATE TABLE earnings (
     hour INTEGER NOT NULL,
     resource TEXT NOT NULL,
     amount TEXT NOT NULL,
     payments INTEGER NOT NULL,
     PRIMARY KEY (hour, resource)
   ) STRICT;`,
  // The channel book reads one channel at a time (its events by channel) and selects channels by event (close
  // requests pending): both through indexes, however many channels are stored.
  `CREATE INDEX events_by_channel ON events (sender, open_block, block_number, log_index);
   CREATE INDEX events_by_name ON events (name, sender, open_block);`,
];

// Rows come back typed as SQLite values; these turn them into our types and fail loudly on anything unexpected
// (a database edited by hand, or written by a newer version).
function text(row: Record<string, unknown>, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw new Error(`Corrupt proof store: ${column} is not text.`);
  return value;
}
function hex(row: Record<string, unknown>, column: string): Hex {
  const value = text(row, column);
  if (!isHex(value)) throw new Error(`Corrupt proof store: ${column} is not hex.`);
  return value;
}
function integer(row: Record<string, unknown>, column: string): bigint {
  const value = row[column];
  if (typeof value !== "bigint") throw new Error(`Corrupt proof store: ${column} is not an integer.`);
  return value;
}
function decimal(row: Record<string, unknown>, column: string): bigint {
  const value = text(row, column);
  if (!/^(0|[1-9][0-9]*)$/.test(value)) throw new Error(`Corrupt proof store: ${column} is not a decimal amount.`);
  return BigInt(value);
}

function proofFromRow(row: Record<string, unknown>): ProofRecord {
  return {
    sender: getAddress(text(row, "sender")),
    openBlock: integer(row, "open_block"),
    balance: decimal(row, "balance"),
    signature: hex(row, "signature"),
    request: text(row, "request"),
    committedAt: Number(integer(row, "committed_at")),
  };
}

function eventFromRow(row: Record<string, unknown>): ChainEvent {
  const name = text(row, "name");
  if (!isChannelEventName(name)) throw new Error(`Corrupt proof store: unknown event ${name}.`);
  const parsed: unknown = JSON.parse(text(row, "amounts"));
  if (typeof parsed !== "object" || parsed === null) throw new Error("Corrupt proof store: amounts.");
  const amounts: Record<string, bigint> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value)) {
      throw new Error(`Corrupt proof store: amount ${key}.`);
    }
    amounts[key] = BigInt(value);
  }
  const signer = row.signer;
  const settleBlock = row.settle_block;
  return {
    blockNumber: integer(row, "block_number"),
    logIndex: Number(integer(row, "log_index")),
    blockHash: hex(row, "block_hash"),
    transactionHash: hex(row, "transaction_hash"),
    name,
    sender: getAddress(text(row, "sender")),
    openBlock: integer(row, "open_block"),
    amounts,
    signer: typeof signer === "string" ? getAddress(signer) : undefined,
    settleBlock: typeof settleBlock === "bigint" ? settleBlock : undefined,
  };
}

/**
 * Sums decimal amounts (TEXT) exactly in SQL: SQLite's integers are 64-bit, so each amount is cut into 12-digit
 * limbs summed apart (a limb sum stays below 2^63 for up to 9 million rows); `limbsTotal` puts them together.
 */
function limbSums(expression: string): string {
  const limbs = Array.from(
    { length: 7 },
    (_, k) => `coalesce(sum(CAST(substr(${expression}, ${-12 * (k + 1)}, 12) AS INTEGER)), 0)`,
  );
  return limbs.join(" || ',' || ");
}
function limbsTotal(row: Record<string, unknown>, column: string): bigint {
  return text(row, column)
    .split(",")
    .reduce((sum, limb, k) => sum + BigInt(limb) * 10n ** (12n * BigInt(k)), 0n);
}

/** Which channels a filter selects: rows (sender, open_block) of their ChannelCreated events. */
function channelKeysSql(filter: ChannelFilter): string {
  const where = ["c.name = 'ChannelCreated'"];
  const same = "x.sender = c.sender AND x.open_block = c.open_block";
  if (filter.sender !== undefined) where.push("c.sender = :sender");
  if (filter.openBlock !== undefined) where.push("c.open_block = :openBlock");
  if (filter.closePending)
    where.push(`NOT EXISTS (SELECT 1 FROM events x WHERE x.name = 'ChannelSettled' AND ${same})`);
  if (filter.paid) where.push(`EXISTS (SELECT 1 FROM proofs x WHERE ${same})`);
  if (filter.unsettled) where.push(`NOT EXISTS (SELECT 1 FROM events x WHERE x.name = 'ChannelSettled' AND ${same})`);
  if (filter.owing) {
    // Amounts are decimal TEXT: padded to one width (a uint256 has 78 digits), text order is number order.
    const withdrawn = `(SELECT json_extract(w.amounts, '$.withdrawn') FROM events w
      WHERE w.name = 'ChannelWithdrawn' AND w.sender = c.sender AND w.open_block = c.open_block
        AND json_extract(w.amounts, '$.withdrawn') IS NOT NULL
      ORDER BY w.block_number DESC, w.log_index DESC LIMIT 1)`;
    where.push(`EXISTS (SELECT 1 FROM proofs x WHERE ${same}
      AND printf('%80s', x.balance) > printf('%80s', coalesce(${withdrawn}, '0')))`);
  }
  // Pending closes are looked for from the close requests (few), not from every channel (the watcher asks each step).
  const from = filter.closePending
    ? `(SELECT DISTINCT sender, open_block FROM events WHERE name = 'ChannelCloseRequested') r
       CROSS JOIN events c ON c.sender = r.sender AND c.open_block = r.open_block`
    : "events c";
  return `SELECT c.sender, c.open_block, c.block_number AS created_block, c.log_index AS created_index
    FROM ${from} WHERE ${where.join(" AND ")}`;
}

/**
 * `node:sqlite`, loaded when a store is opened rather than imported: importing it fails at link time on an older
 * Node, before any code could say what is wrong.
 */
function loadSqlite(): { DatabaseSync: typeof DatabaseSync } {
  assertNodeVersion(process.version);
  return process.getBuiltinModule("node:sqlite");
}

/**
 * The receiver's store in one SQLite file: WAL journal, `synchronous = FULL` (a commit is on disk when it returns),
 * created readable by its owner only (it holds customers' signatures).
 *
 * @example
 * import { sqliteStore } from "@micro-raiden/receiver";
 * // A tool reading the receiver's store (startReceiver opens its own): every channel's latest accepted proof.
 * const store = sqliteStore("receiver.db");
 * for (const proof of store.loadProofs()) console.log(proof.sender, proof.openBlock, proof.balance);
 * store.close();
 */
export function sqliteStore(path: string): ProofStore & RateEvents {
  const { DatabaseSync } = loadSqlite();
  // Create the file readable by its owner only before SQLite opens it (its WAL files inherit the mode).
  if (path !== ":memory:") {
    closeSync(openSync(path, "a", 0o600));
    chmodSync(path, 0o600);
  }
  const db = new DatabaseSync(path, { readBigInts: true });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
  const version = Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
  if (version > migrations.length) {
    throw new Error(`${path} was written by a newer version (schema ${version} > ${migrations.length}).`);
  }
  for (let next = version; next < migrations.length; next++) {
    db.exec("BEGIN");
    db.exec(migrations[next] ?? "");
    db.exec(`PRAGMA user_version = ${next + 1}`);
    db.exec("COMMIT");
  }

  const upsertProof = db.prepare(upsertProofSql);
  const recordEarnings = sqliteEarningsRecorder(db);
  const insertBlock = db.prepare("INSERT OR REPLACE INTO blocks (number, hash) VALUES (?, ?)");
  // Only the range that became prunable since the last step is looked at, each row through the events' primary key:
  // the cost follows the blocks pruned, not the events stored.
  const pruneBlocks = db.prepare(
    `DELETE FROM blocks WHERE number >= ? AND number < ?
       AND NOT EXISTS (SELECT 1 FROM events WHERE events.block_number = blocks.number)`,
  );
  let prunedBelow = 0n;
  const insertEvent = db.prepare(
    `INSERT OR REPLACE INTO events
       (block_number, log_index, block_hash, transaction_hash, name, sender, open_block, amounts, signer, settle_block)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertChallenge = db.prepare(
    `INSERT INTO challenges (sender, open_block, balance, transaction_hash, last_error) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance,
       transaction_hash = excluded.transaction_hash, last_error = excluded.last_error`,
  );

  const forgetRateEvents = db.prepare("DELETE FROM rate_events WHERE scope = ? AND at <= ?");
  // The key's `limit`-th newest event in its window: while there is one, the key is at its limit until it leaves.
  const limitingRateEvent = db.prepare(
    "SELECT at FROM rate_events WHERE scope = ? AND key = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
  );
  const insertRateEvent = db.prepare("INSERT INTO rate_events (scope, key, at) VALUES (?, ?, ?) RETURNING id");
  const deleteRateEvent = db.prepare("DELETE FROM rate_events WHERE id = ?");

  // One set of statements per shape of filter (a handful), prepared once.
  const channelStatementsByShape = new Map<string, Record<"events" | "proofs" | "closing", StatementSync>>();
  function channelStatements(filter: ChannelFilter) {
    // Present or not, as channelKeysSql tests them: an open block of 0 is a filter (its own statement), not none.
    const shape = [
      filter.sender !== undefined,
      filter.openBlock !== undefined,
      !!filter.closePending,
      !!filter.paid,
      !!filter.unsettled,
      !!filter.owing,
    ].join();
    let statements = channelStatementsByShape.get(shape);
    if (!statements) {
      const chosen = `WITH chosen AS (${channelKeysSql(filter)})`;
      const join = "ON t.sender = chosen.sender AND t.open_block = chosen.open_block";
      statements = {
        events: db.prepare(
          `${chosen} SELECT t.* FROM chosen JOIN events t ${join} ORDER BY chosen.created_block, chosen.created_index, t.block_number, t.log_index`,
        ),
        proofs: db.prepare(`${chosen} SELECT t.* FROM chosen JOIN proofs t ${join}`),
        closing: db.prepare(`${chosen} SELECT t.sender, t.open_block FROM chosen JOIN closing_agreements t ${join}`),
      };
      channelStatementsByShape.set(shape, statements);
    }
    return statements;
  }
  // Channels by their events (created when, close requested, settled), then the totals over them in one statement.
  const totalsStatement = db.prepare(
    `WITH channels AS MATERIALIZED (
       SELECT sender, open_block, max(CASE WHEN name = 'ChannelCreated' THEN block_number END) AS created,
         max(name = 'ChannelCloseRequested') AS close_requested, max(name = 'ChannelSettled') AS settled
       FROM events GROUP BY sender, open_block),
     live AS MATERIALIZED (SELECT * FROM channels WHERE created IS NOT NULL AND settled = 0),
     open AS (SELECT * FROM live WHERE close_requested = 0 AND created <= :confirmed),
     deposits AS (SELECT json_extract(e.amounts, CASE e.name WHEN 'ChannelCreated' THEN '$.deposit' ELSE '$.added' END) AS a
       FROM open JOIN events e ON e.sender = open.sender AND e.open_block = open.open_block
       WHERE e.name IN ('ChannelCreated', 'ChannelToppedUp') AND e.block_number <= :confirmed),
     balances AS (SELECT p.balance AS a FROM live JOIN proofs p ON p.sender = live.sender AND p.open_block = live.open_block),
     withdrawals AS (SELECT a FROM (SELECT json_extract(e.amounts, '$.withdrawn') AS a, row_number() OVER (
         PARTITION BY e.sender, e.open_block ORDER BY e.block_number DESC, e.log_index DESC) AS n
       FROM live JOIN events e ON e.sender = live.sender AND e.open_block = live.open_block
       WHERE e.name = 'ChannelWithdrawn' AND json_extract(e.amounts, '$.withdrawn') IS NOT NULL) WHERE n = 1)
     SELECT (SELECT count(*) FROM open) AS open_channels,
       (SELECT count(DISTINCT lower(sender)) FROM open) AS unique_senders,
       (SELECT count(*) FROM live WHERE close_requested = 1) AS pending_channels,
       (SELECT ${limbSums("a")} FROM deposits) AS deposit_limbs,
       (SELECT ${limbSums("a")} FROM balances) AS balance_limbs,
       (SELECT ${limbSums("a")} FROM withdrawals) AS withdrawn_limbs`,
  );

  function transaction(work: () => void) {
    db.exec("BEGIN IMMEDIATE");
    try {
      work();
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }

  return {
    saveProofs(proofs) {
      if (proofs.length === 0) return;
      transaction(() => {
        recordEarnings(proofs, (p) => {
          upsertProof.run(p.sender, p.openBlock, p.balance.toString(), p.signature, p.request, p.committedAt);
        });
      });
    },
    loadProofs() {
      return db
        .prepare("SELECT sender, open_block, balance, signature, request, committed_at FROM proofs")
        .all()
        .map(proofFromRow);
    },
    lastBlock() {
      const row = db.prepare("SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1").get();
      return row ? { number: integer(row, "number"), hash: hex(row, "hash") } : undefined;
    },
    blockHash(number) {
      const row = db.prepare("SELECT hash FROM blocks WHERE number = ?").get(number);
      return row ? hex(row, "hash") : undefined;
    },
    blockBelow(number) {
      const row = db
        .prepare("SELECT number, hash FROM blocks WHERE number < ? ORDER BY number DESC LIMIT 1")
        .get(number);
      return row ? { number: integer(row, "number"), hash: hex(row, "hash") } : undefined;
    },
    appendBlocks(blocks, events) {
      transaction(() => {
        // Keep every block that holds an event (a reorg of any depth under them is found) and the recent
        // cursor blocks; drop older cursor-only rows so the table does not grow by one row per poll forever.
        // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
        const newest = blocks.reduce((max, b) => (b.number > max ? b.number : max), 0n);
        const below = newest - 10_000n;
        if (below > prunedBelow) {
          pruneBlocks.run(prunedBelow, below);
          prunedBelow = below;
        }
        for (const b of blocks) insertBlock.run(b.number, b.hash);
        for (const e of events) {
          const amounts = JSON.stringify(
            Object.fromEntries(Object.entries(e.amounts).map(([k, v]) => [k, v.toString()])),
          );
          insertEvent.run(
            e.blockNumber,
            e.logIndex,
            e.blockHash,
            e.transactionHash,
            e.name,
            e.sender,
            e.openBlock,
            amounts,
            e.signer ?? null,
            e.settleBlock ?? null,
          );
        }
      });
    },
    rollbackTo(number) {
      transaction(() => {
        db.prepare("DELETE FROM events WHERE block_number > ?").run(number);
        db.prepare("DELETE FROM blocks WHERE number > ?").run(number);
      });
    },
    loadEvents() {
      return db.prepare("SELECT * FROM events ORDER BY block_number, log_index").all().map(eventFromRow);
    },
    loadChannels(filter) {
      const parameters: Record<string, string | bigint> = {};
      if (filter.sender !== undefined) parameters.sender = getAddress(filter.sender);
      if (filter.openBlock !== undefined) parameters.openBlock = filter.openBlock;
      const statements = channelStatements(filter);
      return storedChannels(
        statements.events.all(parameters).map(eventFromRow),
        () => statements.proofs.all(parameters).map(proofFromRow),
        () =>
          statements.closing
            .all(parameters)
            .map((row) => ({ sender: getAddress(text(row, "sender")), openBlock: integer(row, "open_block") })),
      );
    },
    channelTotals(confirmedBlock) {
      const row = totalsStatement.get({ confirmed: confirmedBlock }) ?? {};
      return {
        depositSum: limbsTotal(row, "deposit_limbs"),
        openChannels: Number(integer(row, "open_channels")),
        pendingChannels: Number(integer(row, "pending_channels")),
        balanceSum: limbsTotal(row, "balance_limbs") - limbsTotal(row, "withdrawn_limbs"),
        uniqueSenders: Number(integer(row, "unique_senders")),
      };
    },
    saveClosingAgreement(agreement) {
      db.prepare(
        `INSERT INTO closing_agreements (sender, open_block, balance) VALUES (?, ?, ?)
         ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance`,
      ).run(agreement.sender, agreement.openBlock, agreement.balance.toString());
    },
    deleteClosingAgreement(sender, openBlock) {
      db.prepare("DELETE FROM closing_agreements WHERE sender = ? AND open_block = ?").run(sender, openBlock);
    },
    loadClosingAgreements() {
      return db
        .prepare("SELECT sender, open_block, balance FROM closing_agreements")
        .all()
        .map((row) => ({
          sender: getAddress(text(row, "sender")),
          openBlock: integer(row, "open_block"),
          balance: decimal(row, "balance"),
        }));
    },
    saveChallenge(c) {
      upsertChallenge.run(c.sender, c.openBlock, c.balance.toString(), c.transactionHash ?? null, c.lastError ?? null);
    },
    loadChallenges() {
      return db
        .prepare("SELECT * FROM challenges")
        .all()
        .map((row) => ({
          sender: getAddress(text(row, "sender")),
          openBlock: integer(row, "open_block"),
          balance: decimal(row, "balance"),
          transactionHash:
            typeof row.transaction_hash === "string" && isHex(row.transaction_hash) ? row.transaction_hash : undefined,
          lastError: typeof row.last_error === "string" ? row.last_error : undefined,
        }));
    },
    async takeRateSlots(slots, at) {
      let waitMs = 0;
      const taken: bigint[] = [];
      // One writer at a time on the file (BEGIN IMMEDIATE): a check and its insert have nothing in between.
      transaction(() => {
        for (const slot of slots) {
          forgetRateEvents.run(slot.scope, at - slot.windowMs);
          const row = limitingRateEvent.get(slot.scope, slot.key, slot.limit - 1);
          if (row) waitMs = Math.max(waitMs, Number(integer(row, "at")) + slot.windowMs - at);
        }
        if (waitMs > 0) return;
        for (const slot of slots) taken.push(integer(insertRateEvent.get(slot.scope, slot.key, at) ?? {}, "id"));
      });
      return waitMs > 0 ? { waitMs } : { taken };
    },
    async giveBackRateSlots(ids) {
      transaction(() => {
        for (const id of ids) deleteRateEvent.run(id);
      });
    },
    loadEarnings(since) {
      return loadSqliteEarnings(db, since);
    },
    close() {
      db.close();
    },
  };
}
