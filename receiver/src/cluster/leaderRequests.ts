import postgres from "postgres";

/** The kinds of request only the leader serves: each sends transactions with the receiver's key. */
export type LeaderRequestKind = "withdraw" | "close-all" | "claim" | "sponsored-open";

/** The leader's answer, as the JSON it stored: what the handler returned, or the message of what it threw. */
export type LeaderAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** The leader took no request in time (there is none right now, or it is busy): nothing was done. */
export class NoLeaderError extends Error {
  override name = "NoLeaderError" as const;
  constructor(ms: number) {
    super(`No leader took the request within ${ms} ms (a receiver is taking over): nothing was done, retry.`);
  }
}

const requestChannel = "micro_raiden_leader_request";
const answerChannel = "micro_raiden_leader_answer";

export type LeaderRequestsOptions = {
  url: string;
  /** How long a follower waits for a leader to take its request, in ms (default 10 000: a takeover fits). */
  takeTimeoutMs?: number | undefined;
  /** How long it then waits for the answer, in ms (default 120 000: a transaction and its receipt). */
  answerTimeoutMs?: number | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/**
 * Requests a follower cannot serve itself — they send transactions, which only the leader does through the one
 * nonce source — passed to the leader through the database: the follower inserts the request into
 * `leader_requests` and NOTIFYs; the leader takes it (`FOR UPDATE SKIP LOCKED`, so each is taken once), runs it as if
 * it had arrived at the leader, stores the answer and NOTIFYs; the follower answers its client with it. The client
 * needs to know nothing of which receiver leads, behind any load balancer.
 *
 * A request no leader takes within `takeTimeoutMs` is withdrawn (NoLeaderError: nothing was done); one taken by a
 * leader that dies before answering is not run again (it may have sent its transaction): the follower's wait ends
 * with an error after `answerTimeoutMs`, and the client may retry, as after any dropped connection.
 */
export function leaderRequests(options: LeaderRequestsOptions) {
  const takeTimeoutMs = options.takeTimeoutMs ?? 10_000;
  const answerTimeoutMs = options.answerTimeoutMs ?? 120_000;
  const log = options.log ?? ((level, message) => console[level](`[cluster] ${message}`));
  const sql = postgres(options.url, { max: 2, onnotice: () => {}, connect_timeout: 5 });
  const waiting = new Map<string, () => void>();
  let serve: ((kind: LeaderRequestKind, body: unknown) => Promise<unknown>) | undefined;
  let closed = false;

  /** Takes and runs waiting requests one at a time, while this receiver leads. */
  let draining: Promise<void> | undefined;
  function drain(): Promise<void> {
    draining ??= (async () => {
      try {
        while (serve && !closed) {
          const [request] = await sql`UPDATE leader_requests SET taken_at = now() WHERE id = (
              SELECT id FROM leader_requests WHERE taken_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id::text, kind, body`;
          if (!request) break;
          let answer: LeaderAnswer;
          try {
            answer = { ok: true, value: await serve(kindOf(request.kind), request.body) };
          } catch (error) {
            answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
          }
          await sql`UPDATE leader_requests SET answer = ${sql.json(answer as postgres.JSONValue)}, answered_at = now()
            WHERE id = ${request.id}`;
          await sql.notify(answerChannel, String(request.id));
        }
        // Answers nobody collected (their follower died) do not pile up.
        await sql`DELETE FROM leader_requests WHERE answered_at < now() - interval '1 hour'`;
      } catch (error) {
        log("error", `serving the followers' requests failed: ${error instanceof Error ? error.message : error}`);
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  }

  const listening = Promise.all([
    sql.listen(requestChannel, () => void drain()),
    sql.listen(answerChannel, (id) => waiting.get(id)?.()),
  ]);
  const timer = setInterval(() => {
    if (serve) void drain();
  }, 1000);
  timer.unref();

  async function answerOf(id: string): Promise<{ taken: boolean; answer: unknown }> {
    const [row] = await sql`SELECT taken_at IS NOT NULL AS taken, answer FROM leader_requests WHERE id = ${id}`;
    return { taken: row?.taken === true, answer: row?.answer ?? null };
  }

  return {
    /** Runs `kind` on the leader and resolves with its answer (the handler's value); throws what the leader threw. */
    async ask(kind: LeaderRequestKind, body: postgres.JSONValue): Promise<unknown> {
      await listening;
      const [row] = await sql`INSERT INTO leader_requests (kind, body) VALUES (${kind}, ${sql.json(body)})
        RETURNING id::text`;
      const id = String(row?.id);
      let wake = () => {};
      waiting.set(id, () => wake());
      try {
        await sql.notify(requestChannel, id);
        const started = Date.now();
        for (;;) {
          const { taken, answer } = await answerOf(id);
          if (answer !== null) {
            await sql`DELETE FROM leader_requests WHERE id = ${id}`;
            const decoded = decodeAnswer(answer);
            if (!decoded.ok) throw new Error(decoded.message);
            return decoded.value;
          }
          const waited = Date.now() - started;
          if (!taken && waited > takeTimeoutMs) {
            // Withdrawn only if still untaken: a leader taking it at this moment runs it, and answers.
            const withdrawn = await sql`DELETE FROM leader_requests WHERE id = ${id} AND taken_at IS NULL RETURNING 1`;
            if (withdrawn.length > 0) throw new NoLeaderError(takeTimeoutMs);
          }
          if (waited > takeTimeoutMs + answerTimeoutMs) {
            throw new Error(`The leader took the request and has not answered in ${answerTimeoutMs} ms.`);
          }
          // Woken by the leader's NOTIFY, and looking again every second in case it was missed.
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 1000);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
        }
      } finally {
        waiting.delete(id);
      }
    },
    /** Serves the followers' requests with `handler` (this receiver became the leader), or stops (undefined). */
    serve(handler: ((kind: LeaderRequestKind, body: unknown) => Promise<unknown>) | undefined) {
      serve = handler;
      if (handler) void drain();
    },
    async close() {
      closed = true;
      serve = undefined;
      clearInterval(timer);
      await draining;
      await sql.end({ timeout: 2 });
    },
  };
}

export type LeaderRequests = ReturnType<typeof leaderRequests>;

function kindOf(kind: unknown): LeaderRequestKind {
  if (kind === "withdraw" || kind === "close-all" || kind === "claim" || kind === "sponsored-open") return kind;
  throw new Error(`Unknown leader request ${String(kind)}.`);
}

function decodeAnswer(answer: unknown): LeaderAnswer {
  if (typeof answer === "object" && answer !== null) {
    const ok = Reflect.get(answer, "ok");
    const message = Reflect.get(answer, "message");
    if (ok === true) return { ok: true, value: Reflect.get(answer, "value") };
    if (ok === false && typeof message === "string") return { ok: false, message };
  }
  throw new Error("Corrupt leader answer.");
}
