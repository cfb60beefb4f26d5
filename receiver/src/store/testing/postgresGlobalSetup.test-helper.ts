// The receiver's test run (`node --test --test-global-setup=<this file>`): one PostgreSQL cluster for every test
// file, which the files reach through the environment their processes inherit.
import { clusterUrlVariable } from "./createTestDatabase.test-helper.ts";
import { type PostgresCluster, startPostgresCluster } from "./startPostgresCluster.test-helper.ts";

let cluster: PostgresCluster | undefined;

export async function globalSetup(): Promise<void> {
  cluster = await startPostgresCluster();
  const started = cluster;
  // Also when the run is interrupted before its teardown.
  process.once("exit", () => started.stopNow());
  process.env[clusterUrlVariable] = cluster.url;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
