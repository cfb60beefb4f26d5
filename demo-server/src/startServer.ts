import { type ServerType, serve } from "@hono/node-server";
import type { Deployment } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createWatcher } from "./chain/createWatcher.ts";
import { createOperator } from "./chain/operator.ts";
import { createApp } from "./http/createApp.ts";
import { createReceiver } from "./receiver/createReceiver.ts";
import { workerProofWriter } from "./store/proofWriter.ts";
import { sqliteStore } from "./store/sqliteStore.ts";

export type ServerConfig = {
  rpcUrl: string;
  deployment: Deployment;
  /** The receiver's private key (read it with readPrivateKeyFile). Never logged. */
  privateKey: Hex;
  /** SQLite file for proofs and the chain cursor. */
  dbPath: string;
  port?: number | undefined;
  host?: string | undefined;
  confirmations?: number | undefined;
  operatorToken?: string | undefined;
  pollIntervalMs?: number | undefined;
  upstreamUrl?: string | undefined;
  paywallScript?: string | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/**
 * Starts the receiver: opens the store, syncs the chain (from the deployment block or the stored cursor), keeps
 * watching it, and serves the demo app over HTTP. Refuses to start when the RPC's chain is not the deployment's.
 *
 * @example
 * import { startServer } from "@micro-raiden/demo-server";
 * const server = await startServer({ rpcUrl, deployment, privateKey, dbPath: "receiver.db", port: 3000 });
 * // ... later
 * await server.close();
 */
export async function startServer(config: ServerConfig) {
  const account = privateKeyToAccount(config.privateKey);
  const transport = http(config.rpcUrl);
  const publicClient = createPublicClient({ transport });
  const walletClient = createWalletClient({ account, transport });
  const chainId = await publicClient.getChainId();
  if (chainId !== config.deployment.chainId) {
    throw new Error(`The RPC serves chain ${chainId}, the deployment is on chain ${config.deployment.chainId}.`);
  }
  const store = sqliteStore(config.dbPath);
  const proofWriter = workerProofWriter(config.dbPath);
  const receiver = createReceiver({
    store,
    account,
    deployment: config.deployment,
    confirmations: config.confirmations,
    proofWriter,
  });
  const watcher = createWatcher({
    receiver,
    publicClient,
    walletClient,
    pollIntervalMs: config.pollIntervalMs,
    log: config.log,
  });
  await watcher.start();
  const operator = createOperator({ receiver, publicClient, walletClient });
  const app = createApp({
    receiver,
    publicClient,
    operator,
    operatorToken: config.operatorToken,
    upstreamUrl: config.upstreamUrl,
    paywallScript: config.paywallScript,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port ?? 3000, hostname: config.host ?? "127.0.0.1" }, () =>
      resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (config.port ?? 3000);
  return {
    url: `http://${config.host ?? "127.0.0.1"}:${port}`,
    receiver,
    watcher,
    operator,
    app,
    async close() {
      await watcher.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proofWriter.close();
      store.close();
    },
  };
}

export type RunningServer = Awaited<ReturnType<typeof startServer>>;
