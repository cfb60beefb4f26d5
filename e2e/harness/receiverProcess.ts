// Runs as its own process: the real receiver (`startServer`) with the demo's routes and the magazine, serving the
// widget's built script tag and Service Worker. Global setup spawns one for every spec; the restart journey spawns
// and kills its own. Options arrive as one JSON argument (`ReceiverProcessOptions`); it prints `listening on <url>`.

import { demoRoutes } from "@micro-raiden/demo-server";
import { startServer } from "@micro-raiden/receiver";
import { parseDeployment } from "@micro-raiden/web-client/protocol";
import type { Hex } from "viem";
import { magazineRoutes } from "./magazineRoutes.ts";

export type ReceiverProcessOptions = {
  rpcUrl: string;
  deployment: unknown;
  privateKey: Hex;
  dbPath: string;
  port: number;
  operatorToken: string;
  corsOrigins: string[];
  serviceWorkerFile: string;
  paywallScriptFile: string;
  /** Offer sponsored opens down to this deposit (decimal base units). */
  sponsorMinDeposit?: string | undefined;
};

const options: ReceiverProcessOptions = JSON.parse(process.argv[2] ?? "{}");
const server = await startServer({
  rpcUrl: options.rpcUrl,
  deployment: parseDeployment(options.deployment),
  privateKey: options.privateKey,
  dbPath: options.dbPath,
  port: options.port,
  operatorToken: options.operatorToken,
  corsOrigins: options.corsOrigins,
  serviceWorkerFile: options.serviceWorkerFile,
  paywallScriptFile: options.paywallScriptFile,
  confirmations: 1,
  pollIntervalMs: 200,
  ...(options.sponsorMinDeposit ? { sponsor: { minDeposit: BigInt(options.sponsorMinDeposit) } } : {}),
  log: (level, message) => {
    if (level !== "info") console.error(`[receiver] ${message}`);
  },
  routes: (app, context) => {
    magazineRoutes(app, context);
    demoRoutes(app, context);
  },
});
process.stdout.write(`listening on ${server.url}\n`);
const stop = () => void server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
