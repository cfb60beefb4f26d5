import postgres from "postgres";
import { type Address, getAddress } from "viem";
import type { AsyncProofStore } from "./AsyncProofStore.ts";
import { ProofConflictError } from "./ProofConflictError.ts";
import { migratePostgres } from "./postgresMigrations.ts";
import { address, amount, eventFromRow, hex, integer, optionalText, proofFromRow } from "./postgresRows.ts";
import type { ProofCommit, ProofCommitResult } from "./proofCommit.ts";
import type { ClosingAgreementRecord, ProofRecord } from "./records.ts";

/** The receiver's state in PostgreSQL, shared by every receiver that connects to the same database. */
export type PostgresStore = AsyncProofStore & {
  /**
   * Stores each proof only if its channel's stored balance is still the one the caller saw (`expectedBalance`) and
   * the channel is not marked closing, all in one transaction (one durable commit for the batch). Two receivers committing the next proof of one
   * channel at the same moment: exactly one gets `committed: true`; the other's result carries the winner's proof.
   * Results are in the order of `commits`. A channel committed twice in one batch chains: the second entry expects
   * the first one's balance.
   */
  commitProofs(commits: readonly ProofCommit[]): Promise<ProofCommitResult[]>;
  /**
   * Marks the channel closing (a closing signature is about to be handed out at `agreement.balance`) only if its
   * stored balance is that balance: a payment another receiver committed meanwhile makes it lose, with that proof.
   * Once marked, commitProofs refuses every payment on the channel (`closing: true`).
   */
  commitClosingAgreement(agreement: ClosingAgreementRecord): Promise<ProofCommitResult>;
};

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
              signature = excluded.signature, request = excluded.request, committed_at = excluded.committed_at
            WHERE proofs.balance < excluded.balance
              OR (proofs.balance = excluded.balance AND proofs.signature = excluded.signature)
            RETURNING 1`;
          if (stored.length === 0) throw new ProofConflictError(proof.sender, proof.openBlock, proof.balance);
        }
      });
    },
    async commitProofs(commits) {
      const results = new Map<ProofCommit, ProofCommitResult>();
      await sql.begin(async (tx) => {
        for (const commit of inLockOrder(commits, (c) => c.proof)) {
          results.set(commit, await compareAndSet(tx, commit));
        }
      });
      return commits.map((commit) => results.get(commit) ?? { committed: false, current: undefined, closing: false });
    },
    async commitClosingAgreement(agreement) {
      return sql.begin(async (tx) => {
        const sender = getAddress(agreement.sender);
        await lockChannel(tx, sender, agreement.openBlock);
        const { current, closing } = await channelState(tx, sender, agreement.openBlock);
        if ((current?.balance ?? 0n) !== agreement.balance) return { committed: false, current, closing } as const;
        await tx`INSERT INTO closing_agreements (sender, open_block, balance)
          VALUES (${sender}, ${agreement.openBlock}, ${agreement.balance.toString()})
          ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance`;
        return { committed: true } as const;
      });
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
    async saveClosingAgreement(agreement) {
      await sql`INSERT INTO closing_agreements (sender, open_block, balance)
        VALUES (${getAddress(agreement.sender)}, ${agreement.openBlock}, ${agreement.balance.toString()})
        ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance`;
    },
    async deleteClosingAgreement(sender, openBlock) {
      await sql`DELETE FROM closing_agreements WHERE sender = ${getAddress(sender)} AND open_block = ${openBlock}`;
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
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}

/** Lock space of the per-channel advisory locks (the two-key form: apart from the migration lock's key space). */
const channelLockSpace = 0x6d72_6368; // "mrch"

/**
 * Takes the channel's advisory lock until the transaction ends: every decision about a channel's balance or its
 * closing, in any receiver, happens under it. Statements after it see whatever another receiver committed for the
 * channel before (READ COMMITTED takes a new snapshot per statement), so a check and the write after it are one step.
 */
async function lockChannel(tx: Tx, sender: Address, openBlock: bigint): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(${channelLockSpace}, hashtext(${`${sender}:${openBlock}`}))`;
}

/** The channel's stored proof and whether it is marked closing, read under its lock. */
async function channelState(tx: Tx, sender: Address, openBlock: bigint) {
  const [row] = await tx`SELECT sender, open_block, balance, signature, request, committed_at FROM proofs
    WHERE sender = ${sender} AND open_block = ${openBlock}`;
  const [closing] = await tx`SELECT 1 FROM closing_agreements WHERE sender = ${sender} AND open_block = ${openBlock}`;
  return { current: row ? proofFromRow(row) : undefined, closing: closing !== undefined };
}

/** The compare-and-set of one proof: stored only over the expected balance, and never on a channel marked closing. */
async function compareAndSet(tx: Tx, commit: ProofCommit): Promise<ProofCommitResult> {
  const { proof, expectedBalance } = commit;
  if (proof.balance <= expectedBalance) {
    throw new Error(`A commit must raise the balance (${expectedBalance} to ${proof.balance}).`);
  }
  const sender = getAddress(proof.sender);
  await lockChannel(tx, sender, proof.openBlock);
  const { current, closing } = await channelState(tx, sender, proof.openBlock);
  if (closing || (current?.balance ?? 0n) !== expectedBalance) return { committed: false, current, closing };
  await tx`INSERT INTO proofs (sender, open_block, balance, signature, request, committed_at)
    VALUES (${sender}, ${proof.openBlock}, ${proof.balance.toString()}, ${proof.signature}, ${proof.request},
      ${BigInt(proof.committedAt)})
    ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance, signature = excluded.signature,
      request = excluded.request, committed_at = excluded.committed_at`;
  return { committed: true };
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
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
