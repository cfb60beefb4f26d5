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
    leaseMs: 1000,
    log: () => {},
    onElected: () => void events.push(`${name} elected`),
    onDeposed: () => void events.push(`${name} deposed`),
  });
}

describe("electLeader", () => {
  it("elects one receiver; when its session dies it stops at once and another takes over", async () => {
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
      assert.equal(a.isLeader(), false);
      await until(() => b.isLeader(), "b takes over");
      await b.confirm();
      // a's session came back, without the lock: it stays a follower while b leads.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(a.isLeader(), false);
      assert.deepEqual(events, ["a elected", "a deposed", "b elected"]);

      // b shuts down: its lock goes with its session, and a leads again.
      await b.close();
      await until(() => a.isLeader(), "a takes over after b closed");
      await a.confirm();
      assert.deepEqual(events, ["a elected", "a deposed", "b elected", "b deposed", "a elected"]);
    } finally {
      await a.close();
      await b.close();
      await admin.end();
    }
  });
});
