#!/usr/bin/env node
// micro-raiden-server: the receiver's command line (see runCli.ts, or run it with --help).
import { runCli } from "./runCli.ts";

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`micro-raiden-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
