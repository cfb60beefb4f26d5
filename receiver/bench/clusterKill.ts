// npm run bench:cluster-kill — kill -9 under load with the full counts (the test, killUnderLoad.test.ts, runs a lean
// version in npm test): RECEIVERS (3) receiver processes on one PostgreSQL database, SENDERS (16) senders paying in
// parallel across them, a random receiver (the leader every other time) killed KILLS (20) times and restarted, LOAD_MS
// (1000) of load between kills. Prints the figures; a real chain and a throwaway PostgreSQL server, as in the tests.
import { startWatcherChain } from "../src/chain/watcherFixture.test-helper.ts";
import { killUnderLoad } from "../src/cluster/testing/killUnderLoad.test-helper.ts";
import { createTestDatabase } from "../src/store/testing/createTestDatabase.test-helper.ts";

const [fx, database] = await Promise.all([startWatcherChain(), createTestDatabase()]);
try {
  const figures = await killUnderLoad({
    fx,
    databaseUrl: database.url,
    receivers: Number(process.env.RECEIVERS ?? 3),
    senders: Number(process.env.SENDERS ?? 16),
    kills: Number(process.env.KILLS ?? 20),
    loadMs: Number(process.env.LOAD_MS ?? 1000),
    log: (line) => console.log(line),
  });
  const resume = figures.resumeMs.toSorted((a, b) => a - b);
  console.log(`
| figure | value |
|---|---|
| kills (of the leader) | ${figures.kills} (${figures.leaderKills}) |
| leadership taken over | ${figures.takeovers} |
| payments answered 200 | ${figures.paid} |
| acknowledged payments lost | ${figures.lost} |
| charged twice | ${figures.doubleCharged} |
| charged, answer lost in a kill, not served again | ${figures.answersLost} |
| refused | ${JSON.stringify(figures.refused)} |
| every sender paying again after a kill: median / max | ${resume[Math.floor(resume.length / 2)]} ms / ${resume.at(-1)} ms |
| stale close sent during the kills challenged | ${figures.staleCloseChallenged} |`);
  if (figures.lost > 0 || figures.doubleCharged > 0 || !figures.staleCloseChallenged) process.exitCode = 1;
} finally {
  await fx.close();
  await database.drop();
  process.exit();
}
