// The election of the one chain actor among receivers sharing a database, on a real PostgreSQL server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import { electLeader, type Leadership, NotLeaderError } from "./electLeader.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

async function until(check: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function member(name: string, events: string[]): Promise<Leadership> {
  return electLeader({
    url: database.url,
    retryMs: 100,
    leaseMs: 3000,
    log: () => {},
    onElected: () => void events.push(`${name} elected`),
    onDeposed: () => void events.push(`${name} deposed`),
  });
}

describe("electLeader", () => {
  it("elects one receiver; when its session dies it stops at once and one receiver takes over", async () => {
    const events: string[] = [];
    const a = await member("a", events);
    const b = await member("b", events);
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      assert.deepEqual(events, ["a elected"], "the first to ask leads; the second waits");
      await a.confirm();
      await assert.rejects(b.confirm(), NotLeaderError);

      // The leader's session ends (its machine lost the database, or an operator ended it).
      await admin`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
        AND classid = ${0x6d72_6c64} AND objid = 1`;
      await assert.rejects(a.confirm(), NotLeaderError, "a leader without its session sends nothing");
      assert.ok(events.includes("a deposed"));
      // The lock is free: b, or a on a new session, takes it — one of them, never both.
      await until(() => a.isLeader() || b.isLeader(), "someone takes over");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [leader, follower] = a.isLeader() ? [a, b] : [b, a];
      assert.equal(follower.isLeader(), false);
      await leader.confirm();
      await assert.rejects(follower.confirm(), NotLeaderError);

      // The leader shuts down: its lock goes with its session, and the other leads.
      await leader.close();
      await until(() => follower.isLeader(), "the other takes over after the leader closed");
      await follower.confirm();
    } finally {
      await a.close();
      await b.close();
      await admin.end();
    }
  });
});
