// kill -9 under load, lean (npm test): 3 receiver processes on one database, 12 senders paying in parallel across
// them, a random receiver (the leader every other time) killed 10 times and restarted. bench:cluster-kill runs the
// full counts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startWatcherChain, type WatcherChain } from "../chain/watcherFixture.test-helper.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import { killUnderLoad } from "./testing/killUnderLoad.test-helper.ts";

let fx: WatcherChain;
let database: TestDatabase;
before(async () => {
  [fx, database] = await Promise.all([startWatcherChain(), createTestDatabase()]);
});
after(async () => {
  await fx?.close();
  await database?.drop();
});

describe("receivers on one database, killed under load", () => {
  it("loses no acknowledged payment, charges none twice, every sender pays on, the leadership is taken over", async () => {
    const figures = await killUnderLoad({
      fx,
      databaseUrl: database.url,
      receivers: 3,
      senders: 12,
      loadMs: 300,
      kills: Number(process.env.KILLS ?? 10),
      log: process.env.DEBUG_CLUSTER ? (line) => console.log(line) : undefined,
    });
    console.log(
      `kill -9 under load: ${figures.kills} kills (${figures.leaderKills} of the leader, ${figures.takeovers} takeovers), ${figures.paid} payments, ${figures.answersLost} charged with the answer lost in a kill, lost ${figures.lost}, charged twice ${figures.doubleCharged}, refused ${JSON.stringify(figures.refused)}, longest wait after a kill ${Math.max(...figures.resumeMs)} ms, stale close challenged: ${figures.staleCloseChallenged}`,
    );
    assert.equal(figures.lost, 0);
    assert.equal(figures.doubleCharged, 0);
    assert.deepEqual(figures.refused, {});
    assert.ok(figures.leaderKills >= 5, "the leader was killed every other round");
    assert.equal(figures.takeovers, figures.leaderKills);
    assert.ok(figures.paid > 0);
    assert.equal(figures.staleCloseChallenged, true, "the stale close sent during the kills was challenged");
  });
});
