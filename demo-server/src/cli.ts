#!/usr/bin/env node
// The demo site's command: the receiver's CLI (same commands and options, see --help) with the demo's routes.
import { runCli } from "@micro-raiden/receiver";
import { demoRoutes } from "./createDemoApp.ts";

runCli(process.argv.slice(2), { name: "micro-raiden-demo", routes: demoRoutes }).catch((error: unknown) => {
  console.error(`micro-raiden-demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
