import postgres from "postgres";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";
import { address, amount, eventFromRow, hex, integer, proofFromRow } from "../store/postgresRows.ts";
import type { BlockRecord, ChainEvent, ClosingAgreementRecord, ProofRecord } from "../store/records.ts";

/** What the leader announces after each chain step it stored; and what a receiver asks of it (read the chain now). */
export const chainChannel = "micro_raiden_chain";
export const syncChannel = "micro_raiden_sync";

export type DatabaseFollowerOptions = {
  url: string;
  core: ReceiverCore;
  /** How often the database is read without a notification, in ms (default 1000). */
  pollIntervalMs?: number | undefined;
  /** Called when another receiver asks the chain to be read now (acted on by the leader only). */
  onSyncRequest?: (() => void) | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/**
 * Keeps a receiver's channel book up to date from the shared database instead of the chain: the channel events and
 * the block cursor the leader stores (opens, top-ups, withdrawals, closes; a reorganization, which rewrites the
 * stored blocks, rebuilds the book), and the proofs every receiver commits (so each book, and `/stats`, shows the
 * payments taken by the others). Reads on the leader's notification (LISTEN) and every `pollIntervalMs`.
 *
 * Proofs are followed by the transaction that wrote them (`written_by`, a trigger's `pg_current_xact_id()`): each read
 * takes the rows written by transactions not yet finished at the previous read's snapshot, so a row committed late
 * is never skipped; the book only ever takes a higher balance than it has, so a row read twice changes nothing.
 */
export function followDatabase(options: DatabaseFollowerOptions) {
  const { core } = options;
  const log = options.log ?? ((level, message) => console[level](`[cluster] ${message}`));
  const sql = postgres(options.url, {
    max: 1,
    types: { bigint: postgres.BigInt },
    onnotice: () => {},
    connect_timeout: 5,
  });
  /** Whether this receiver reads chain events from the database (a follower) or the watcher writes them (leader). */
  let followChain = true;
  /** The last stored block the book reflects; undefined: rebuild from everything stored. */
  let known: BlockRecord | undefined;
  /** Proof rows written by transactions from this one on may not have been read yet. */
  let proofsFrom: bigint | undefined;
  let closed = false;
  const waiting = new Set<() => void>();

  type Tx = postgres.TransactionSql<{ bigint: bigint }>;

  async function readProofs(tx: Tx): Promise<ProofRecord[]> {
    const rows =
      proofsFrom === undefined
        ? await tx`SELECT sender, open_block, balance, signature, request, committed_at FROM proofs`
        : await tx`SELECT sender, open_block, balance, signature, request, committed_at FROM proofs
            WHERE written_by >= ${proofsFrom.toString()}::xid8`;
    return rows.map(proofFromRow);
  }

  async function snapshotStart(tx: Tx): Promise<bigint> {
    const [row] = await tx`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`;
    const xmin = row?.xmin;
    if (typeof xmin !== "string" || !/^[0-9]+$/.test(xmin)) throw new Error("PostgreSQL gave no snapshot.");
    return BigInt(xmin);
  }

  /** One read of everything new, in one snapshot. */
  async function pull(): Promise<void> {
    await sql.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", async (tx) => {
      const from = await snapshotStart(tx);
      const [lastRow] = await tx`SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1`;
      const last: BlockRecord | undefined = lastRow && {
        number: integer(lastRow, "number"),
        hash: hex(lastRow, "hash"),
      };
      const reorganized = proofsFrom !== undefined && followChain && !(await stillOnChain(tx, known, last));
      if (proofsFrom === undefined || reorganized) {
        // First read, a change of role, or the stored chain changed under what the book holds: read everything.
        const proofs = await readProofs(tx);
        const agreements = (await tx`SELECT sender, open_block, balance FROM closing_agreements`).map(
          (row): ClosingAgreementRecord => ({
            sender: address(row, "sender"),
            openBlock: integer(row, "open_block"),
            balance: amount(row, "balance"),
          }),
        );
        const events = (await tx`SELECT * FROM events ORDER BY block_number, log_index`).map(eventFromRow);
        if (reorganized) log("warn", `the stored chain changed below block ${known?.number}: channels read again`);
        core.book.rebuild({
          loadProofs: () => proofs,
          loadClosingAgreements: () => agreements,
          loadEvents: () => events,
        });
      } else {
        if (followChain && last && known && last.number > known.number) {
          const events: ChainEvent[] = (
            await tx`SELECT * FROM events WHERE block_number > ${known.number} AND block_number <= ${last.number}
              ORDER BY block_number, log_index`
          ).map(eventFromRow);
          for (const event of events) core.book.apply(event);
        }
        for (const proof of await readProofs(tx)) {
          // Only a higher balance: the same proof again must not reset what the book knows of its delivery.
          const channel = core.book.get(proof.sender, proof.openBlock);
          if (!channel || proof.balance > channel.balance) core.book.recordProof(proof);
        }
      }
      proofsFrom = from;
      known = last;
      if (followChain && last) core.setHead(last.number);
    });
  }

  /** Whether the block the book was built to is still stored with the same hash (no reorganization rewrote it). */
  async function stillOnChain(tx: Tx, block: BlockRecord | undefined, last: BlockRecord | undefined) {
    if (!block) return last === undefined;
    if (!last || last.number < block.number) return false;
    const [row] = await tx`SELECT hash FROM blocks WHERE number = ${block.number}`;
    return row !== undefined && hex(row, "hash") === block.hash;
  }

  let current: Promise<void> | undefined;
  let again = false;
  /** One read at a time; a call during a read gets one more read after it. */
  function refresh(): Promise<void> {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      try {
        do {
          again = false;
          await pull();
        } while (again && !closed);
      } finally {
        current = undefined;
      }
    })();
    return current;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  async function loop() {
    try {
      await refresh();
    } catch (error) {
      log("error", `reading the database failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!closed) timer = setTimeout(loop, options.pollIntervalMs ?? 1000);
  }

  let listening: Promise<unknown> | undefined;
  return {
    /** Reads the database once (the book is then built), then keeps reading. */
    async start() {
      await refresh();
      listening = Promise.all([
        sql.listen(chainChannel, () => {
          void refresh()
            .catch(() => undefined)
            .then(() => {
              for (const wake of waiting) wake();
              waiting.clear();
            });
        }),
        sql.listen(syncChannel, () => options.onSyncRequest?.()),
      ]);
      await listening;
      timer = setTimeout(loop, options.pollIntervalMs ?? 1000);
    },
    /**
     * Follow the chain's events through the database (a follower), or leave them to this receiver's watcher (the
     * leader). Switching to following rebuilds the book from the database.
     */
    followChain(follow: boolean) {
      followChain = follow;
    },
    refresh,
    /** Reads everything stored again and rebuilds the book from it (a change of role). */
    rebuild(): Promise<void> {
      proofsFrom = undefined;
      return refresh();
    },
    /** Tells the other receivers the leader stored a chain step. */
    announceStep: () => sql.notify(chainChannel, ""),
    /**
     * Asks the leader to read the chain now and waits for what it stored (or `timeoutMs`): a payment naming a channel
     * opened a moment ago, on a follower. With `known`, asks again after each stored step until it holds: the first
     * step stored after the request may come from a read the leader began before the channel was opened.
     */
    async catchUp(known?: () => boolean, timeoutMs = 2000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      do {
        const stored = new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          waiting.add(() => {
            clearTimeout(timeout);
            resolve();
          });
        });
        await sql.notify(syncChannel, "");
        await stored;
      } while (known && !known() && Date.now() < deadline);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
      await sql.end({ timeout: 2 });
    },
  };
}

export type DatabaseFollower = ReturnType<typeof followDatabase>;
