import type { Sql } from "postgres";
import { earningsHourMs } from "./earningsKey.ts";

/** Lock space of the per-channel advisory locks (the two-key form: apart from the migration lock's key space). */
export const channelLockSpace = 0x6d72_6368; // "mrch"
/** Lock space of the rate limits' per-key advisory locks (RateEvents). */
export const rateLockSpace = 0x6d72_7274; // "mrrt"

/**
 * The PostgreSQL schema, one entry per version, applied in order; each version is recorded in schema_migrations.
 * Append, never edit a released entry. Amounts are NUMERIC(78) (any uint256, exact), block numbers BIGINT.
 */
export const postgresMigrations: readonly string[] = [
  `CREATE TABLE proofs (
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     balance NUMERIC(78) NOT NULL CHECK (balance >= 0),
     signature TEXT NOT NULL,
     -- What the proof paid for and when: a request cut off by a crash may be served again once, for free.
     request TEXT NOT NULL,
     committed_at BIGINT NOT NULL,
     PRIMARY KEY (sender, open_block)
   );
   CREATE TABLE blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL);
   CREATE TABLE events (
     block_number BIGINT NOT NULL,
     log_index INTEGER NOT NULL,
     block_hash TEXT NOT NULL,
     transaction_hash TEXT NOT NULL,
     name TEXT NOT NULL,
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     -- Decimal strings, as JSON numbers would lose precision.
     amounts JSONB NOT NULL,
     signer TEXT,
     settle_block BIGINT,
     PRIMARY KEY (block_number, log_index)
   );
   CREATE TABLE challenges (
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     balance NUMERIC(78) NOT NULL,
     transaction_hash TEXT,
     last_error TEXT,
     PRIMARY KEY (sender, open_block)
   );
   -- A closing signature handed out: the channel takes no more payments, also after a restart.
   CREATE TABLE closing_agreements (
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     balance NUMERIC(78) NOT NULL,
     PRIMARY KEY (sender, open_block)
   );`,
  // Which transaction last wrote each proof: receivers sharing the database read the proofs the others committed by
  // it (followDatabase), never skipping a row whose transaction committed late.
  `ALTER TABLE proofs ADD COLUMN written_by xid8 NOT NULL DEFAULT '0';
   CREATE FUNCTION proofs_written_by() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN NEW.written_by := pg_current_xact_id(); RETURN NEW; END $$;
   CREATE TRIGGER proofs_written_by BEFORE INSERT OR UPDATE ON proofs
     FOR EACH ROW EXECUTE FUNCTION proofs_written_by();
   CREATE INDEX proofs_by_writer ON proofs (written_by);`,
  // Requests only the leader serves (they send transactions), passed to it by the receiver they reached
  // (leaderRequests): taken once, answered in the row.
  `CREATE TABLE leader_requests (
     id BIGSERIAL PRIMARY KEY,
     kind TEXT NOT NULL,
     body JSONB NOT NULL,
     answer JSONB,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     taken_at TIMESTAMPTZ,
     answered_at TIMESTAMPTZ
   );`,
  // What several receivers on one database share beyond the proofs: whether a payment's answer went out and its one
  // further delivery (a retried request, a navigation ticket's reload) is used, whichever receiver serves it;
  // navigation tickets (by their value's hash); sponsored-open rate limit events.
  `ALTER TABLE proofs ADD COLUMN delivered BOOLEAN NOT NULL DEFAULT false,
     ADD COLUMN second_delivery_used BOOLEAN NOT NULL DEFAULT false;
   CREATE TABLE navigation_tickets (
     ticket_hash TEXT PRIMARY KEY,
     request TEXT NOT NULL,
     expires_at BIGINT NOT NULL,
     -- The payment whose second delivery the reload takes.
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     balance NUMERIC(78) NOT NULL
   );
   CREATE INDEX navigation_tickets_expiry ON navigation_tickets (expires_at);
   CREATE TABLE rate_events (
     id BIGSERIAL PRIMARY KEY,
     scope TEXT NOT NULL,
     key TEXT NOT NULL,
     at BIGINT NOT NULL
   );
   CREATE INDEX rate_events_key ON rate_events (scope, key, at);`,
  // The payment path's decisions as single statements: one round trip per batch, and a connection lost mid-way leaves
  // no client-side transaction to roll back (postgres.js 3.4.9 crashed writing that ROLLBACK to the closed socket,
  // its issues #1154 and #1208; 4.x guards it). Each runs under the channels' advisory locks, in lock order.
  `CREATE FUNCTION commit_proofs(senders TEXT[], open_blocks BIGINT[], balances NUMERIC[], signatures TEXT[],
       requests TEXT[], committed_ats BIGINT[], expected NUMERIC[])
     RETURNS TABLE (idx INTEGER, committed BOOLEAN, closing BOOLEAN, balance NUMERIC, signature TEXT, request TEXT,
       committed_at BIGINT)
     LANGUAGE plpgsql AS $$
     #variable_conflict use_column
     DECLARE
       i INTEGER;
       found proofs%ROWTYPE;
       is_closing BOOLEAN;
     BEGIN
       FOR i IN 1 .. coalesce(array_length(senders, 1), 0) LOOP
         PERFORM pg_advisory_xact_lock(${channelLockSpace}, hashtext(senders[i] || ':' || open_blocks[i]));
         SELECT * INTO found FROM proofs p WHERE p.sender = senders[i] AND p.open_block = open_blocks[i];
         is_closing := EXISTS (SELECT 1 FROM closing_agreements c
           WHERE c.sender = senders[i] AND c.open_block = open_blocks[i]);
         IF is_closing OR coalesce(found.balance, 0) <> expected[i] THEN
           RETURN QUERY SELECT i, false, is_closing, found.balance, found.signature, found.request, found.committed_at;
         ELSE
           INSERT INTO proofs AS p (sender, open_block, balance, signature, request, committed_at)
             VALUES (senders[i], open_blocks[i], balances[i], signatures[i], requests[i], committed_ats[i])
             ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance, signature = excluded.signature,
               request = excluded.request, committed_at = excluded.committed_at, delivered = false,
               second_delivery_used = false;
           RETURN QUERY SELECT i, true, false, NULL::NUMERIC, NULL::TEXT, NULL::TEXT, NULL::BIGINT;
         END IF;
       END LOOP;
     END $$;
   CREATE FUNCTION commit_closing_agreement(a_sender TEXT, a_open_block BIGINT, a_balance NUMERIC)
     RETURNS TABLE (committed BOOLEAN, closing BOOLEAN, balance NUMERIC, signature TEXT, request TEXT,
       committed_at BIGINT)
     LANGUAGE plpgsql AS $$
     #variable_conflict use_column
     DECLARE
       found proofs%ROWTYPE;
       is_closing BOOLEAN;
     BEGIN
       PERFORM pg_advisory_xact_lock(${channelLockSpace}, hashtext(a_sender || ':' || a_open_block));
       SELECT * INTO found FROM proofs p WHERE p.sender = a_sender AND p.open_block = a_open_block;
       is_closing := EXISTS (SELECT 1 FROM closing_agreements c WHERE c.sender = a_sender AND c.open_block = a_open_block);
       IF coalesce(found.balance, 0) <> a_balance THEN
         RETURN QUERY SELECT false, is_closing, found.balance, found.signature, found.request, found.committed_at;
         RETURN;
       END IF;
       INSERT INTO closing_agreements AS c (sender, open_block, balance) VALUES (a_sender, a_open_block, a_balance)
         ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance;
       RETURN QUERY SELECT true, true, NULL::NUMERIC, NULL::TEXT, NULL::TEXT, NULL::BIGINT;
     END $$;`,
  // What each hour earned from each resource (the operator's dashboard): every rise of a stored balance, whichever
  // statement wrote it (commit_proofs, saveProofs), added by a trigger in the same transaction. Kept per channel too:
  // a row is then only ever written under its channel's advisory lock, so receivers paid on different channels for
  // the same page never wait on each other's row (nor deadlock on two). The resource is the request's path without
  // its query, as resourceOf (earningsKey.ts) takes it.
  `CREATE TABLE earnings (
     hour BIGINT NOT NULL,
     resource TEXT NOT NULL,
     sender TEXT NOT NULL,
     open_block BIGINT NOT NULL,
     amount NUMERIC(78) NOT NULL,
     payments BIGINT NOT NULL,
     PRIMARY KEY (hour, resource, sender, open_block)
   );
   CREATE FUNCTION proofs_earnings() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       earned NUMERIC := NEW.balance - CASE WHEN TG_OP = 'UPDATE' THEN OLD.balance ELSE 0 END;
     BEGIN
       IF earned > 0 THEN
         INSERT INTO earnings AS e (hour, resource, sender, open_block, amount, payments)
           VALUES (NEW.committed_at / ${earningsHourMs}, split_part(split_part(NEW.request, ' ', 2), '?', 1),
             NEW.sender, NEW.open_block, earned, 1)
           ON CONFLICT (hour, resource, sender, open_block)
           DO UPDATE SET amount = e.amount + excluded.amount, payments = e.payments + 1;
       END IF;
       RETURN NULL;
     END $$;
   CREATE TRIGGER proofs_earnings AFTER INSERT OR UPDATE OF balance ON proofs
     FOR EACH ROW EXECUTE FUNCTION proofs_earnings();`,
  // The channel book reads one channel at a time (its events by channel) and selects channels by event (close
  // requests pending): both through indexes, however many channels are stored.
  `CREATE INDEX events_by_channel ON events (sender, open_block, block_number, log_index);
   CREATE INDEX events_by_name ON events (name, sender, open_block);`,
];

/** Any number, the same in every receiver: the advisory lock receivers take to migrate one at a time. */
const migrationLock = 0x6d_69_63_72_6f_72_61_64n; // "microrad"

/**
 * Brings the database to the latest schema. Receivers starting at once take turns on an advisory lock held for the
 * migrating transaction, so each version is applied exactly once; a failed migration leaves nothing half-done.
 * Refuses a database whose schema is newer than this code knows.
 */
export async function migratePostgres(sql: Sql<{ bigint: bigint }>): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${migrationLock})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`;
    const [row] = await tx`SELECT coalesce(max(version), 0) AS version FROM schema_migrations`;
    const version = row?.version;
    if (typeof version !== "number") throw new Error("Corrupt proof store: schema_migrations.");
    if (version > postgresMigrations.length) {
      throw new Error(
        `The database was written by a newer version of the receiver (schema ${version} > ${postgresMigrations.length}).`,
      );
    }
    for (let next = version; next < postgresMigrations.length; next++) {
      await tx.unsafe(postgresMigrations[next] ?? "");
      await tx`INSERT INTO schema_migrations (version) VALUES (${next + 1})`;
    }
  });
}
