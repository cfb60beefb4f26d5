#!/usr/bin/env node
// micro-raiden-server: the receiver's command line (see runCli.ts, or run it with --help).
import { assertNodeVersion } from "./store/assertNodeVersion.ts";

try {
  assertNodeVersion(process.version);
} catch (error) {
  console.error(`micro-raiden-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// Imported only now: on an older Node the receiver's modules could fail to load before the check above could speak.
const { runCli } = await import("./runCli.ts");

runCli(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`micro-raiden-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
