import postgres from "postgres";

/** Thrown by `Leadership.confirm` (and so by every transaction a receiver tries to send) when it is not the leader. */
export class NotLeaderError extends Error {
  override name = "NotLeaderError" as const;
  constructor() {
    super("This receiver is not the cluster's leader (it lost, or never held, the leadership lock): nothing was sent.");
  }
}

export type LeadershipOptions = {
  /** The receivers' shared PostgreSQL database. */
  url: string;
  /** Called when this receiver becomes the leader (in turn with `onDeposed`: never two at once). */
  onElected: () => Promise<void> | void;
  /** Called when it stops being the leader: its session died, it was ended, or `close`. */
  onDeposed: () => Promise<void> | void;
  /** How often a follower tries to take the lock, and the leader checks its session, in ms (default 500). */
  retryMs?: number | undefined;
  /**
   * How long PostgreSQL keeps the leader's session (and so its lock) when the leader stops talking, in ms (default
   * 5000): a leader that hangs or loses its network loses the lock by then, and another receiver takes over. A
   * leader that dies outright loses it at once (its connection closes).
   */
  leaseMs?: number | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

export type Leadership = {
  /** Whether this receiver held the lock when its session last answered. */
  isLeader(): boolean;
  /**
   * Asks the lock's own session, now, whether it still holds the lock; throws NotLeaderError when it does not or
   * does not answer. Every transaction is sent only after this passed (`leaderWalletClient`).
   */
  confirm(): Promise<void>;
  /** Gives the lock up (another receiver takes over at once) and closes the session. */
  close(): Promise<void>;
};

/** Any two numbers, the same in every receiver: the session-level advisory lock whose holder is the leader. */
const leaderLock = [0x6d72_6c64, 1] as const; // "mrld"

/**
 * Joins the election of the receivers sharing `url`: the leader is the one whose dedicated session holds a
 * session-level advisory lock (`pg_try_advisory_lock`). Followers try to take it every `retryMs`; PostgreSQL frees
 * it the moment the leader's connection closes (the process died), or after `leaseMs` without a word from it
 * (`idle_session_timeout`: it hangs, or lost its network). The leader checks its session every `retryMs` and steps
 * down as soon as the session is gone — and every transaction asks the session first (`confirm`), so a leader that
 * has not noticed yet sends nothing either.
 */
export async function electLeader(options: LeadershipOptions): Promise<Leadership> {
  const retryMs = options.retryMs ?? 500;
  const leaseMs = options.leaseMs ?? 5000;
  if (retryMs * 2 >= leaseMs)
    throw new Error("leaseMs must be more than twice retryMs: the heartbeat keeps the lease.");
  const log = options.log ?? ((level, message) => console[level](`[leader] ${message}`));
  let leader = false;
  let closed = false;
  /** The backend that took the lock: a reconnected session is another backend, without it. */
  let holder: number | undefined;
  const sql = postgres(options.url, {
    max: 1,
    // Never recycled: closing this connection gives the leadership away.
    max_lifetime: 0,
    idle_timeout: 0,
    connect_timeout: 5,
    keep_alive: 5,
    onnotice: () => {},
    connection: { application_name: "micro-raiden leader election", idle_session_timeout: leaseMs },
    onclose: () => {
      if (leader) void change(false, "its database session closed");
    },
  });

  let turn: Promise<void> = Promise.resolve();
  /** Switches roles one at a time, so onElected and onDeposed never overlap. */
  function change(toLeader: boolean, why: string): Promise<void> {
    if (leader === toLeader) return turn;
    leader = toLeader;
    if (!toLeader) holder = undefined;
    log(toLeader ? "info" : "warn", toLeader ? "this receiver is now the leader" : `no longer the leader: ${why}`);
    turn = turn.then(async () => {
      try {
        await (toLeader ? options.onElected() : options.onDeposed());
      } catch (error) {
        log("error", `switching roles failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return turn;
  }

  /** The session holds the lock: asked of the session itself, so a silently reconnected one does not count. */
  async function holds(): Promise<boolean> {
    const [row] = await sql`SELECT pg_backend_pid() AS pid, EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
      AND pid = pg_backend_pid() AND classid = ${leaderLock[0]} AND objid = ${leaderLock[1]} AND objsubid = 2
      AND granted) AS held`;
    return row?.held === true && row.pid === holder;
  }

  async function tick(): Promise<void> {
    try {
      if (leader) {
        if (!(await withTimeout(holds(), leaseMs / 2))) await change(false, "its session no longer holds the lock");
        return;
      }
      const [row] = await sql`SELECT pg_try_advisory_lock(${leaderLock[0]}, ${leaderLock[1]}) AS got,
        pg_backend_pid() AS pid`;
      if (row?.got === true && !closed) {
        holder = typeof row.pid === "number" ? row.pid : undefined;
        await change(true, "");
      }
    } catch (error) {
      if (leader) await change(false, `its session failed (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  async function loop() {
    await tick();
    if (!closed) timer = setTimeout(loop, retryMs);
  }
  await tick();
  if (!closed) timer = setTimeout(loop, retryMs);

  return {
    isLeader: () => leader,
    async confirm() {
      if (!leader) throw new NotLeaderError();
      const confirmed = await withTimeout(holds(), leaseMs / 2).catch(() => false);
      if (!confirmed) {
        await change(false, "its session no longer holds the lock");
        throw new NotLeaderError();
      }
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await change(false, "it is shutting down");
      // Ending the session frees the lock for the next leader.
      await sql.end({ timeout: 2 });
    },
  };
}

/** `promise`, or false when it takes longer than `ms`: a session that does not answer holds nothing we can count on. */
function withTimeout(promise: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
}
