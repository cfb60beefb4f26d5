import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import postgres from "postgres";
import { postgresStore } from "../store/postgresStore.ts";
import type { RateEvents } from "../store/RateEvents.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import { type RateLimit, type SponsoredOpenAdmission, sponsoredOpenLimiter } from "./sponsoredOpenLimiter.ts";

const day = 86_400_000;
const hour = 3_600_000;
const roomy: RateLimit = { limit: 1000, windowMs: hour };

const made: TestDatabase[] = [];
const folders: string[] = [];
after(async () => {
  for (const db of made) await db.drop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

type OpenStore = RateEvents & { close(): unknown };
const stores: { name: string; open: () => Promise<OpenStore> }[] = [
  { name: "SQLite", open: async () => sqliteStore(":memory:") },
  {
    name: "PostgreSQL",
    open: async () => {
      const db = await createTestDatabase();
      made.push(db);
      return postgresStore(db.url);
    },
  },
];

const waitOf = (admission: SponsoredOpenAdmission) => ("waitMs" in admission ? admission.waitMs : 0);

for (const { name, open } of stores) {
  describe(`sponsoredOpenLimiter on ${name} (sliding window, on a clock the test moves)`, () => {
    it("lets a sender take `limit` opens per window, says how long to wait, and forgets opens that left it", async () => {
      const store = await open();
      let clock = 1_000_000;
      const limiter = sponsoredOpenLimiter(store, { limit: 2, windowMs: 60_000 }, roomy, () => clock);
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0);
      clock += 10_000;
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0);
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 50_000, "until the first open leaves the window");
      assert.equal(waitOf(await limiter.admit("bob", "10.0.0.1")), 0, "senders are independent");
      clock += 50_000;
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0);
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 10_000, "a sliding window, not a fixed one");
      await store.close();
    });

    it("takes the sender's slot and the client's together or not at all", async () => {
      const store = await open();
      let clock = 1_000_000;
      const limiter = sponsoredOpenLimiter(
        store,
        { limit: 2, windowMs: day },
        { limit: 1, windowMs: hour },
        () => clock,
      );
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0);
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), hour, "the client is at its limit");
      clock += hour;
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0, "the refused attempt took no sender's slot");
      assert.ok(waitOf(await limiter.admit("alice", "10.0.0.2")) > 0, "now the sender is at its limit");
      assert.equal(waitOf(await limiter.admit("bob", "10.0.0.2")), 0, "and that refusal took no client's slot");
      await store.close();
    });

    it("gives slots back when asked (an open the receiver could not send), and only those", async () => {
      const store = await open();
      let clock = 1_000_000;
      const limiter = sponsoredOpenLimiter(store, { limit: 2, windowMs: 60_000 }, roomy, () => clock);
      await limiter.admit("alice", "10.0.0.1");
      clock += 1_000;
      const second = await limiter.admit("alice", "10.0.0.1");
      assert.ok("giveBack" in second);
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 59_000);
      await second.giveBack();
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 0, "the second slot was free again");
      assert.equal(waitOf(await limiter.admit("alice", "10.0.0.1")), 59_000, "the first one never was");
      await store.close();
    });
  });
}

describe("sponsoredOpenLimiter, across processes", () => {
  it("refuses a configuration that would let nothing through", () => {
    const store = sqliteStore(":memory:");
    assert.throws(() => sponsoredOpenLimiter(store, { limit: 0, windowMs: 1000 }, roomy), /at least 1/);
    assert.throws(() => sponsoredOpenLimiter(store, roomy, { limit: 1, windowMs: 0 }), /positive/);
    store.close();
  });

  it("SQLite: a restarted receiver still refuses the opens its limits used up", async () => {
    const folder = mkdtempSync(join(tmpdir(), "rate-"));
    folders.push(folder);
    const path = join(folder, "receiver.db");
    const first = sqliteStore(path);
    const limits = [{ limit: 2, windowMs: day }, roomy] as const;
    assert.equal(waitOf(await sponsoredOpenLimiter(first, ...limits).admit("alice", "10.0.0.1")), 0);
    assert.equal(waitOf(await sponsoredOpenLimiter(first, ...limits).admit("alice", "10.0.0.2")), 0);
    first.close();
    const again = sqliteStore(path);
    assert.ok(waitOf(await sponsoredOpenLimiter(again, ...limits).admit("alice", "10.0.0.3")) > 0);
    again.close();
  });

  it("PostgreSQL: two receivers on one database together refuse the (n+1)th open, also when asked at once", async () => {
    const db = await createTestDatabase();
    made.push(db);
    const [a, b] = await Promise.all([postgresStore(db.url), postgresStore(db.url)]);
    const limits = [{ limit: 3, windowMs: day }, roomy] as const;
    const onA = sponsoredOpenLimiter(a, ...limits);
    const onB = sponsoredOpenLimiter(b, ...limits);
    // One after another, alternating receivers: three opens, and the fourth is refused by either.
    assert.equal(waitOf(await onA.admit("alice", "10.0.0.1")), 0);
    assert.equal(waitOf(await onB.admit("alice", "10.0.0.2")), 0);
    assert.equal(waitOf(await onA.admit("alice", "10.0.0.3")), 0);
    assert.ok(waitOf(await onB.admit("alice", "10.0.0.4")) > 0, "the second receiver refuses the fourth");
    assert.ok(waitOf(await onA.admit("alice", "10.0.0.5")) > 0, "and so does the first");
    // Twenty at the same moment, ten on each receiver, for one sender: exactly three get through.
    const asked = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? onA : onB).admit("bob", `10.1.0.${i}`));
    const admitted = (await Promise.all(asked)).filter((admission) => "giveBack" in admission);
    assert.equal(admitted.length, 3);
    await Promise.all([a.close(), b.close()]);
  });

  it("PostgreSQL: events of one-off clients that left their window are forgotten", async () => {
    const db = await createTestDatabase();
    made.push(db);
    const store = await postgresStore(db.url);
    let clock = 1_000_000;
    const limiter = sponsoredOpenLimiter(store, roomy, { limit: 1, windowMs: 1000 }, () => clock);
    for (let i = 0; i < 20; i++) await limiter.admit(`sender-${i}`, `10.0.0.${i}`);
    clock += hour + 1;
    await limiter.admit("late", "10.9.9.9");
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const [row] = await sql`SELECT count(*)::int AS n FROM rate_events`;
    await sql.end();
    assert.equal(row?.n, 2, "only the late open's two events are left");
    await store.close();
  });
});
