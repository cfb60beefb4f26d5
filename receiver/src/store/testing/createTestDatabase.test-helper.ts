import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type PostgresCluster, startPostgresCluster } from "./startPostgresCluster.test-helper.ts";

/** Set by the receiver's test run (postgresGlobalSetup): the one cluster every test file of the run shares. */
export const clusterUrlVariable = "MICRO_RAIDEN_TEST_POSTGRES_URL";

/** A database of its own for one test, in the run's cluster; `drop()` removes it. */
export type TestDatabase = { url: string; drop(): Promise<void> };

let ownCluster: Promise<PostgresCluster> | undefined;

/**
 * Creates an empty database for a test. In `npm test -w receiver` every file shares the cluster the run started;
 * a file run on its own (`npx node --test <file>`) starts one for its process, stopped when the process exits.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  return createDatabaseOn(process.env[clusterUrlVariable] ?? (await processCluster()).url);
}

/** Creates an empty database in the cluster at `clusterUrl` (a test's own, to stop and start it). */
export async function createDatabaseOn(clusterUrl: string): Promise<TestDatabase> {
  const name = `test_${randomBytes(8).toString("hex")}`;
  const admin = postgres(clusterUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const again = postgres(clusterUrl, { max: 1, onnotice: () => {} });
      try {
        // FORCE ends connections a failed test left open, so the database always goes.
        await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

function processCluster(): Promise<PostgresCluster> {
  ownCluster ??= startPostgresCluster().then((cluster) => {
    process.once("exit", () => cluster.stopNow());
    return cluster;
  });
  return ownCluster;
}
