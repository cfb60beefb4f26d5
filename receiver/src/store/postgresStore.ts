import postgres from "postgres";
import { type Address, getAddress } from "viem";
import type { AsyncProofStore } from "./AsyncProofStore.ts";
import { earningsHourMs } from "./earningsKey.ts";
import { ProofConflictError } from "./ProofConflictError.ts";
import { channelLockSpace, migratePostgres, rateLockSpace } from "./postgresMigrations.ts";
import { address, amount, eventFromRow, flag, hex, integer, optionalText, proofFromRow, text } from "./postgresRows.ts";
import type { ProofCommit, ProofCommitResult } from "./proofCommit.ts";
import type { RateEvents, RateSlot } from "./RateEvents.ts";
import type { ChannelFilter, ProofRecord } from "./records.ts";
import type { SharedPayments, StoredChannelState } from "./SharedPayments.ts";
import { storedChannels } from "./storedChannels.ts";

/**
 * The receiver's state in PostgreSQL, shared by every receiver that connects to the same database. `commitProofs`
 * stores each proof only if its channel's stored balance is still the one the caller saw (`expectedBalance`) and the
 * channel is not marked closing, all in one transaction (one durable commit for the batch): of two receivers
 * committing the next proof of one channel at the same moment exactly one gets `committed: true`; the other's result
 * carries the winner's proof. Results are in the order of the commits; a channel committed twice in one batch chains
 * (the second entry expects the first one's balance). `commitClosingAgreement` marks the channel closing (a closing
 * signature is about to be handed out at `agreement.balance`) only if its stored balance is that balance: a payment
 * another receiver committed meanwhile makes it lose, with that proof; once marked, commitProofs refuses every
 * payment on the channel (`closing: true`).
 */
export type PostgresStore = AsyncProofStore & SharedPayments & RateEvents;

export type PostgresStoreOptions = {
  /** Connections this store may open at once (default 4). */
  maxConnections?: number | undefined;
};

function connect(url: string, options: PostgresStoreOptions) {
  return postgres(url, {
    max: options.maxConnections ?? 4,
    // BIGINT columns (block numbers, times) as bigint; NUMERIC amounts still arrive as exact decimal text.
    types: { bigint: postgres.BigInt },
    // A server notice (for example "relation already exists, skipping") is not ours to print.
    onnotice: () => {},
    connect_timeout: 10,
  });
}

type Tx = postgres.TransactionSql<{ bigint: bigint }>;
type Sql = postgres.Sql<{ bigint: bigint }>;

// Senders are stored checksummed (getAddress), whatever case a caller passed: a channel is one row.

/**
 * Opens the store in the PostgreSQL database at `url` (`postgres://user:password@host:port/database`; the password
 * may also come from PGPASSWORD) and brings its schema up to date — safely when several receivers start at once.
 * Amounts are stored as NUMERIC(78), exact; every row read back is checked before it is used.
 *
 * A commit is durable when PostgreSQL says so (its `synchronous_commit`, on by default). Never log `url`: it may
 * hold the password.
 */
export async function postgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const sql = connect(url, options);
  try {
    await migratePostgres(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  // Like the SQLite store: only the range that became prunable since the last append is looked at.
  let prunedBelow = 0n;

  return {
    async saveProofs(proofs) {
      if (proofs.length === 0) return;
      await sql.begin(async (tx) => {
        for (const proof of inLockOrder(proofs, (p) => p)) {
          // Under the channel's lock, as commitProofs: its check and write never have this write in between.
          await lockChannel(tx, getAddress(proof.sender), proof.openBlock);
          // Never lower a channel's balance: a proof at or above this one may be there already, stored by another
          // receiver. Storing the very same proof again is harmless (a retried batch).
          const stored = await tx`
            INSERT INTO proofs (sender, open_block, balance, signature, request, committed_at)
            VALUES (${getAddress(proof.sender)}, ${proof.openBlock}, ${proof.balance.toString()}, ${proof.signature},
                    ${proof.request}, ${BigInt(proof.committedAt)})
            ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance,
              signature = excluded.signature, request = excluded.request, committed_at = excluded.committed_at,
              delivered = proofs.delivered AND proofs.balance = excluded.balance,
              second_delivery_used = proofs.second_delivery_used AND proofs.balance = excluded.balance
            WHERE proofs.balance < excluded.balance
              OR (proofs.balance = excluded.balance AND proofs.signature = excluded.signature)
            RETURNING 1`;
          if (stored.length === 0) throw new ProofConflictError(proof.sender, proof.openBlock, proof.balance);
        }
      });
    },
    async takeRateSlots(slots, at) {
      return sql.begin(async (tx) => {
        // Each key's advisory lock until the transaction ends, in one order: no other receiver counts or takes this
        // key's events in between, and two receivers' admissions never wait on each other in a cycle.
        const ordered = [...slots].sort((a, b) => compare(rateLockName(a), rateLockName(b)));
        for (const slot of ordered) {
          await tx`SELECT pg_advisory_xact_lock(${rateLockSpace}, hashtext(${rateLockName(slot)}))`;
        }
        let waitMs = 0;
        for (const slot of slots) {
          const since = BigInt(at - slot.windowMs);
          // Expired events of other keys too (one-off clients'), skipping rows another receiver is deleting.
          await tx`DELETE FROM rate_events WHERE id IN (SELECT id FROM rate_events
            WHERE scope = ${slot.scope} AND at <= ${since} FOR UPDATE SKIP LOCKED)`;
          const [row] = await tx`SELECT at FROM rate_events WHERE scope = ${slot.scope} AND key = ${slot.key}
            AND at > ${since} ORDER BY at DESC LIMIT 1 OFFSET ${slot.limit - 1}`;
          if (row) waitMs = Math.max(waitMs, Number(integer(row, "at")) + slot.windowMs - at);
        }
        if (waitMs > 0) return { waitMs };
        const taken: bigint[] = [];
        for (const slot of slots) {
          const [row] = await tx`INSERT INTO rate_events (scope, key, at) VALUES (${slot.scope}, ${slot.key},
            ${BigInt(at)}) RETURNING id`;
          taken.push(integer(row ?? {}, "id"));
        }
        return { taken };
      });
    },
    async giveBackRateSlots(ids) {
      await sql`DELETE FROM rate_events WHERE id = ANY(${ids.map(String)}::bigint[])`;
    },
    async commitProofs(commits) {
      if (commits.length === 0) return [];
      const ordered = inLockOrder(commits, (c) => c.proof);
      for (const { proof, expectedBalance } of ordered) {
        if (proof.balance <= expectedBalance) {
          throw new Error(`A commit must raise the balance (${expectedBalance} to ${proof.balance}).`);
        }
      }
      // One statement (commit_proofs, migration 5): the batch's locks, checks and writes in one implicit transaction.
      const rows = await sql`SELECT * FROM commit_proofs(
        ${ordered.map((c) => getAddress(c.proof.sender))}::text[],
        ${ordered.map((c) => c.proof.openBlock.toString())}::bigint[],
        ${ordered.map((c) => c.proof.balance.toString())}::numeric[],
        ${ordered.map((c) => c.proof.signature)}::text[],
        ${ordered.map((c) => c.proof.request)}::text[],
        ${ordered.map((c) => String(c.proof.committedAt))}::bigint[],
        ${ordered.map((c) => c.expectedBalance.toString())}::numeric[])`;
      const results = new Map<ProofCommit, ProofCommitResult>();
      for (const row of rows) {
        const commit = ordered[Number(row.idx) - 1];
        if (!commit) throw new Error("Corrupt proof store: commit_proofs answered an unknown entry.");
        results.set(commit, commitResult(row, commit.proof.sender, commit.proof.openBlock));
      }
      return commits.map((commit) => results.get(commit) ?? { committed: false, current: undefined, closing: false });
    },
    async commitClosingAgreement(agreement) {
      const [row] = await sql`SELECT * FROM commit_closing_agreement(${getAddress(agreement.sender)},
        ${agreement.openBlock}, ${agreement.balance.toString()}::numeric)`;
      if (!row) throw new Error("Corrupt proof store: commit_closing_agreement answered nothing.");
      return commitResult(row, agreement.sender, agreement.openBlock);
    },
    async deleteClosingAgreement(sender, openBlock) {
      await sql`DELETE FROM closing_agreements WHERE sender = ${getAddress(sender)} AND open_block = ${openBlock}`;
    },
    channelState: (sender, openBlock) => channelState(sql, getAddress(sender), openBlock),
    async takeSecondDelivery(claim) {
      const { repeat } = claim;
      const taken = await sql`UPDATE proofs SET second_delivery_used = true
        WHERE sender = ${getAddress(claim.sender)} AND open_block = ${claim.openBlock}
          AND balance = ${claim.balance.toString()} AND NOT second_delivery_used
          AND (${claim.signature ?? null}::text IS NULL OR signature = ${claim.signature ?? null})
          AND (${repeat === undefined} OR (NOT delivered AND request = ${repeat?.request ?? ""}
            AND committed_at >= ${BigInt(repeat?.committedSince ?? 0)}))
        RETURNING 1`;
      return taken.length > 0;
    },
    async markDelivered(sender, openBlock, balance) {
      await sql`UPDATE proofs SET delivered = true
        WHERE sender = ${getAddress(sender)} AND open_block = ${openBlock} AND balance = ${balance.toString()}`;
    },
    async issueTicket(ticket) {
      // Expired tickets are never redeemed: each issue sweeps them (the index keeps it to what expired).
      await sql`WITH swept AS (DELETE FROM navigation_tickets WHERE expires_at < ${BigInt(Date.now())})
        INSERT INTO navigation_tickets (ticket_hash, request, expires_at, sender, open_block, balance)
        VALUES (${ticket.ticketHash}, ${ticket.request}, ${BigInt(ticket.expiresAt)}, ${getAddress(ticket.sender)},
          ${ticket.openBlock}, ${ticket.balance.toString()})`;
    },
    async redeemTicket(ticketHash, request, now) {
      // Used up whatever the outcome; the payment's second delivery taken in the same statement.
      const taken = await sql`WITH used AS (DELETE FROM navigation_tickets WHERE ticket_hash = ${ticketHash}
          RETURNING request, expires_at, sender, open_block, balance)
        UPDATE proofs SET second_delivery_used = true FROM used
        WHERE used.request = ${request} AND used.expires_at > ${BigInt(now)} AND proofs.sender = used.sender
          AND proofs.open_block = used.open_block AND proofs.balance = used.balance AND NOT second_delivery_used
        RETURNING 1`;
      return taken.length > 0;
    },
    async storedHead() {
      const [row] = await sql`SELECT max(number) AS number FROM blocks`;
      return row?.number === null || row?.number === undefined ? undefined : integer(row, "number");
    },
    async loadProofs() {
      const rows = await sql`SELECT sender, open_block, balance, signature, request, committed_at FROM proofs`;
      return rows.map(proofFromRow);
    },
    async lastBlock() {
      const [row] = await sql`SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1`;
      return row ? { number: integer(row, "number"), hash: hex(row, "hash") } : undefined;
    },
    async blockHash(number) {
      const [row] = await sql`SELECT hash FROM blocks WHERE number = ${number}`;
      return row ? hex(row, "hash") : undefined;
    },
    async blockBelow(number) {
      const [row] = await sql`SELECT number, hash FROM blocks WHERE number < ${number} ORDER BY number DESC LIMIT 1`;
      return row ? { number: integer(row, "number"), hash: hex(row, "hash") } : undefined;
    },
    async appendBlocks(blocks, events) {
      await sql.begin(async (tx) => {
        // Keep every block that holds an event (a reorg of any depth under them is found) and the recent cursor
        // blocks; drop older cursor-only rows so the table does not grow by one row per poll forever.
        // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
        const newest = blocks.reduce((max, b) => (b.number > max ? b.number : max), 0n);
        const below = newest - 10_000n;
        if (below > prunedBelow) {
          await tx`DELETE FROM blocks WHERE number >= ${prunedBelow} AND number < ${below}
            AND NOT EXISTS (SELECT 1 FROM events WHERE events.block_number = blocks.number)`;
        }
        for (const b of blocks) {
          await tx`INSERT INTO blocks (number, hash) VALUES (${b.number}, ${b.hash})
            ON CONFLICT (number) DO UPDATE SET hash = excluded.hash`;
        }
        for (const e of events) {
          const amounts = Object.fromEntries(Object.entries(e.amounts).map(([k, v]) => [k, v.toString()]));
          await tx`INSERT INTO events (block_number, log_index, block_hash, transaction_hash, name, sender, open_block,
              amounts, signer, settle_block)
            VALUES (${e.blockNumber}, ${e.logIndex}, ${e.blockHash}, ${e.transactionHash}, ${e.name}, ${getAddress(e.sender)},
              ${e.openBlock}, ${tx.json(amounts)}, ${e.signer ?? null}, ${e.settleBlock ?? null})
            ON CONFLICT (block_number, log_index) DO UPDATE SET block_hash = excluded.block_hash,
              transaction_hash = excluded.transaction_hash, name = excluded.name, sender = excluded.sender,
              open_block = excluded.open_block, amounts = excluded.amounts, signer = excluded.signer,
              settle_block = excluded.settle_block`;
        }
        if (below > prunedBelow) prunedBelow = below;
      });
    },
    async rollbackTo(number) {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM events WHERE block_number > ${number}`;
        await tx`DELETE FROM blocks WHERE number > ${number}`;
      });
    },
    async loadEvents() {
      const rows = await sql`SELECT * FROM events ORDER BY block_number, log_index`;
      return rows.map(eventFromRow);
    },
    async loadChannels(filter) {
      const chosen = channelKeys(sql, filter);
      const join = sql`ON t.sender = chosen.sender AND t.open_block = chosen.open_block`;
      const events = await sql`WITH chosen AS (${chosen}) SELECT t.* FROM chosen JOIN events t ${join}
        ORDER BY chosen.created_block, chosen.created_index, t.block_number, t.log_index`;
      if (events.length === 0) return [];
      const proofs = await sql`WITH chosen AS (${chosen}) SELECT t.* FROM chosen JOIN proofs t ${join}`;
      const closing = await sql`WITH chosen AS (${chosen})
        SELECT t.sender, t.open_block FROM chosen JOIN closing_agreements t ${join}`;
      return storedChannels(
        events.map(eventFromRow),
        () =>
          proofs.map((row) => ({
            ...proofFromRow(row),
            delivered: flag(row, "delivered"),
            secondDeliveryUsed: flag(row, "second_delivery_used"),
          })),
        () => closing.map((row) => ({ sender: address(row, "sender"), openBlock: integer(row, "open_block") })),
      );
    },
    async channelTotals(confirmedBlock) {
      const [row] = await sql`WITH channels AS (
          SELECT sender, open_block, max(block_number) FILTER (WHERE name = 'ChannelCreated') AS created,
            bool_or(name = 'ChannelCloseRequested') AS close_requested, bool_or(name = 'ChannelSettled') AS settled
          FROM events GROUP BY sender, open_block),
        live AS (SELECT * FROM channels WHERE created IS NOT NULL AND NOT settled),
        open AS (SELECT * FROM live WHERE NOT close_requested AND created <= ${confirmedBlock})
        SELECT (SELECT count(*) FROM open) AS open_channels,
          (SELECT count(DISTINCT lower(sender)) FROM open) AS unique_senders,
          (SELECT count(*) FROM live WHERE close_requested) AS pending_channels,
          (SELECT coalesce(sum((e.amounts->>(CASE e.name WHEN 'ChannelCreated' THEN 'deposit' ELSE 'added' END))::numeric), 0)
            FROM open JOIN events e USING (sender, open_block)
            WHERE e.name IN ('ChannelCreated', 'ChannelToppedUp') AND e.block_number <= ${confirmedBlock})::text
            AS deposit_sum,
          (SELECT coalesce(sum(p.balance), 0) FROM live JOIN proofs p USING (sender, open_block))::text AS balance_sum,
          (SELECT coalesce(sum(w), 0) FROM (SELECT DISTINCT ON (e.sender, e.open_block)
              (e.amounts->>'withdrawn')::numeric AS w
            FROM live JOIN events e USING (sender, open_block)
            WHERE e.name = 'ChannelWithdrawn' AND e.amounts->>'withdrawn' IS NOT NULL
            ORDER BY e.sender, e.open_block, e.block_number DESC, e.log_index DESC) latest)::text AS withdrawn_sum`;
      if (!row) throw new Error("Corrupt proof store: the totals query answered nothing.");
      return {
        depositSum: amount(row, "deposit_sum"),
        openChannels: Number(integer(row, "open_channels")),
        pendingChannels: Number(integer(row, "pending_channels")),
        balanceSum: amount(row, "balance_sum") - amount(row, "withdrawn_sum"),
        uniqueSenders: Number(integer(row, "unique_senders")),
      };
    },
    async saveClosingAgreement(agreement) {
      await sql`INSERT INTO closing_agreements (sender, open_block, balance)
        VALUES (${getAddress(agreement.sender)}, ${agreement.openBlock}, ${agreement.balance.toString()})
        ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance`;
    },
    async loadClosingAgreements() {
      const rows = await sql`SELECT sender, open_block, balance FROM closing_agreements`;
      return rows.map((row) => ({
        sender: address(row, "sender"),
        openBlock: integer(row, "open_block"),
        balance: amount(row, "balance"),
      }));
    },
    async saveChallenge(c) {
      await sql`INSERT INTO challenges (sender, open_block, balance, transaction_hash, last_error)
        VALUES (${getAddress(c.sender)}, ${c.openBlock}, ${c.balance.toString()}, ${c.transactionHash ?? null},
          ${c.lastError ?? null})
        ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance,
          transaction_hash = excluded.transaction_hash, last_error = excluded.last_error`;
    },
    async loadChallenges() {
      const rows = await sql`SELECT sender, open_block, balance, transaction_hash, last_error FROM challenges`;
      return rows.map((row) => {
        const transactionHash = optionalText(row, "transaction_hash");
        return {
          sender: address(row, "sender"),
          openBlock: integer(row, "open_block"),
          balance: amount(row, "balance"),
          transactionHash: transactionHash === undefined ? undefined : hex(row, "transaction_hash"),
          lastError: optionalText(row, "last_error"),
        };
      });
    },
    async loadEarnings(since) {
      const rows = await sql`SELECT hour, resource, sum(amount)::text AS amount, sum(payments)::bigint AS payments
        FROM earnings WHERE hour >= ${BigInt(Math.floor(since / earningsHourMs))}
        GROUP BY hour, resource ORDER BY hour, resource`;
      return rows.map((row) => ({
        hourStart: Number(integer(row, "hour")) * earningsHourMs,
        resource: text(row, "resource"),
        amount: amount(row, "amount"),
        payments: Number(integer(row, "payments")),
      }));
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * Takes the channel's advisory lock until the transaction ends: every decision about a channel's balance or its
 * closing, in any receiver, happens under it. Statements after it see whatever another receiver committed for the
 * channel before (READ COMMITTED takes a new snapshot per statement), so a check and the write after it are one step.
 */
async function lockChannel(tx: Tx, sender: Address, openBlock: bigint): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${channelLockSpace}, hashtext(${`${sender}:${openBlock}`}))`;
}

/** Which channels a filter selects: rows (sender, open_block) of their ChannelCreated events. */
function channelKeys(sql: Sql, filter: ChannelFilter) {
  const same = sql`x.sender = c.sender AND x.open_block = c.open_block`;
  const none = sql``;
  // Pending closes are looked for from the close requests (few), not from every channel (the watcher asks each step).
  const from = filter.closePending
    ? sql`(SELECT DISTINCT sender, open_block FROM events WHERE name = 'ChannelCloseRequested') r
        JOIN events c ON c.sender = r.sender AND c.open_block = r.open_block`
    : sql`events c`;
  return sql`SELECT c.sender, c.open_block, c.block_number AS created_block, c.log_index AS created_index
    FROM ${from} WHERE c.name = 'ChannelCreated'
    ${filter.sender === undefined ? none : sql`AND c.sender = ${getAddress(filter.sender)}`}
    ${filter.openBlock === undefined ? none : sql`AND c.open_block = ${filter.openBlock}`}
    ${filter.closePending ? sql`AND NOT EXISTS (SELECT 1 FROM events x WHERE x.name = 'ChannelSettled' AND ${same})` : none}
    ${filter.paid ? sql`AND EXISTS (SELECT 1 FROM proofs x WHERE ${same})` : none}
    ${filter.unsettled ? sql`AND NOT EXISTS (SELECT 1 FROM events x WHERE x.name = 'ChannelSettled' AND ${same})` : none}
    ${
      filter.owing
        ? sql`AND EXISTS (SELECT 1 FROM proofs x WHERE ${same} AND x.balance > coalesce((
        SELECT (w.amounts->>'withdrawn')::numeric FROM events w
        WHERE w.name = 'ChannelWithdrawn' AND w.sender = c.sender AND w.open_block = c.open_block
          AND w.amounts->>'withdrawn' IS NOT NULL
        ORDER BY w.block_number DESC, w.log_index DESC LIMIT 1), 0))`
        : none
    }`;
}

function rateLockName(slot: RateSlot): string {
  return `${slot.scope}:${slot.key}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The channel's stored proof (with its delivery marks) and whether it is marked closing. */
async function channelState(tx: Tx | Sql, sender: Address, openBlock: bigint): Promise<StoredChannelState> {
  const [row] = await tx`SELECT sender, open_block, balance, signature, request, committed_at, delivered,
      second_delivery_used, EXISTS (SELECT 1 FROM closing_agreements c
        WHERE c.sender = ${sender} AND c.open_block = ${openBlock}) AS closing
    FROM (SELECT 1) one LEFT JOIN proofs ON sender = ${sender} AND open_block = ${openBlock}`;
  if (row?.signature === null || row?.signature === undefined)
    return { current: undefined, closing: row?.closing === true };
  return {
    current: {
      ...proofFromRow(row),
      delivered: flag(row, "delivered"),
      secondDeliveryUsed: flag(row, "second_delivery_used"),
    },
    closing: row.closing === true,
  };
}

/** A commit_proofs / commit_closing_agreement row as the result it stands for. */
function commitResult(row: Record<string, unknown>, sender: Address, openBlock: bigint): ProofCommitResult {
  if (row.committed === true) return { committed: true };
  const current =
    row.signature === null ? undefined : proofFromRow({ ...row, sender: getAddress(sender), open_block: openBlock });
  return { committed: false, current, closing: row.closing === true };
}

/**
 * The entries sorted by channel (stably: one channel's entries keep their order), so that two receivers' batches
 * take channels' locks in the same order and never deadlock each other.
 */
function inLockOrder<T>(entries: readonly T[], proofOf: (entry: T) => ProofRecord): T[] {
  const key = (entry: T) => {
    const p = proofOf(entry);
    return `${getAddress(p.sender)}:${p.openBlock.toString().padStart(20, "0")}`;
  };
  return [...entries].sort((a, b) => compare(key(a), key(b)));
}
