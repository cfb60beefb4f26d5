import postgres from "postgres";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";
import { eventFromRow, hex, integer, proofFromRow } from "../store/postgresRows.ts";
import type { BlockRecord, ChainEvent, ProofRecord } from "../store/records.ts";

/** What the leader announces after each chain step it stored; and what a receiver asks of it (read the chain now). */
export const chainChannel = "micro_raiden_chain";
export const syncChannel = "micro_raiden_sync";

export type DatabaseFollowerOptions = {
  url: string;
  core: Pick<ReceiverCore, "book" | "setHead">;
  /** How often the database is read without a notification, in ms (default 1000). */
  pollIntervalMs?: number | undefined;
  /** Called when another receiver asks the chain to be read now (acted on by the leader only). */
  onSyncRequest?: (() => void) | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/**
 * Keeps a receiver's channel book up to date from the shared database instead of the chain: the channel events and
 * the block cursor the leader stores (opens, top-ups, withdrawals, closes; a reorganization, which rewrites the
 * stored blocks, drops the book's channels), and the proofs every receiver commits (so each book shows the payments
 * taken by the others). Only the channels the book holds in memory take what is read; the others are read whole from
 * the database when asked for, so joining reads no channel. Reads on the leader's notification (LISTEN) and every
 * `pollIntervalMs`.
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
  /** The last stored block the book reflects; undefined: none yet (the book holds nothing from before). */
  let known: BlockRecord | undefined;
  /** Proof rows written by transactions from this one on may not have been read yet. */
  let proofsFrom: bigint | undefined;
  let closed = false;
  const waiting = new Set<() => void>();

  /**
   * Moves the block the book reflects: channels it reads on a miss stop there too while it follows the chain (later
   * stored blocks come with the next read, after the check that they still stand on `known`).
   */
  function reached(block: BlockRecord | undefined) {
    known = block;
    core.book.readThrough(followChain ? (block?.number ?? -1n) : undefined);
    if (followChain && block) core.setHead(block.number);
  }

  type Tx = postgres.TransactionSql<{ bigint: bigint }>;

  /** Proofs written since the last read (called after a first one). */
  async function readProofs(tx: Tx): Promise<ProofRecord[]> {
    const rows = await tx`SELECT sender, open_block, balance, signature, request, committed_at FROM proofs
      WHERE written_by >= ${(proofsFrom ?? 0n).toString()}::xid8`;
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
        // First read, a change of role, or the stored chain changed under what the book holds: the book forgets its
        // channels and reads each again from the database when it is asked for (nothing is read in advance).
        if (reorganized) log("warn", `the stored chain changed below block ${known?.number}: channels read again`);
        core.book.clear();
        reached(last);
      } else {
        if (followChain && last && known && last.number > known.number) {
          const events: ChainEvent[] = (
            await tx`SELECT * FROM events WHERE block_number > ${known.number} AND block_number <= ${last.number}
              ORDER BY block_number, log_index`
          ).map(eventFromRow);
          for (const event of events) core.book.apply(event);
        }
        // At once (no read between): a channel read on a miss from now on reflects the events just applied.
        reached(last);
        // Only a higher balance, only for channels in memory: the same proof again must not reset what the book knows
        // of its delivery.
        for (const proof of await readProofs(tx)) core.book.learnProof(proof);
      }
      proofsFrom = from;
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
    /** Reads the database's cursor once (the book then follows it), then keeps reading. */
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
     * leader). Switching to following drops the book's channels (they are read again from the database).
     */
    followChain(follow: boolean) {
      followChain = follow;
      reached(known);
    },
    refresh,
    /** Drops the book's channels and follows the database from now on (a change of role). */
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
