// The child process of bench/channelBook.ts: a receiver joining its store as startReceiver does (open the store,
// build the core's channel book; on PostgreSQL also the follower's first read of the database, which a joining
// receiver waits for), measured alone in a fresh process. Prints one JSON line: { joinMs, rssBytes, channels, phasesMs }.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { followDatabase } from "../src/cluster/followDatabase.ts";
import { createReceiverCore } from "../src/receiver/createReceiverCore.ts";
import { openReceiverStore } from "../src/store/openReceiverStore.ts";
import { benchDeployment } from "./fillChannels.ts";

const [kind, location] = process.argv.slice(2);
if ((kind !== "sqlite" && kind !== "postgres") || !location)
  throw new Error("usage: channelBookJoin sqlite|postgres PATH|URL");
const deployment = benchDeployment;

const started = performance.now();
const { store, proofWriter, shared } = await openReceiverStore(
  kind === "sqlite" ? { dbPath: location } : { databaseUrl: location },
);
const opened = performance.now();
const core = createReceiverCore({
  store,
  account: privateKeyToAccount(generatePrivateKey()),
  deployment,
  proofWriter,
  shared,
});
const built = performance.now();
const follower = kind === "postgres" ? followDatabase({ url: location, core, log: () => {} }) : undefined;
await follower?.start();
const joinMs = performance.now() - started;
globalThis.gc?.();
const rssBytes = process.memoryUsage().rss;
// Where the time went: opening the store, the core's book built from it, the follower's first read of the database.
const phasesMs = { open: opened - started, book: built - opened, follow: follower ? performance.now() - built : 0 };
console.log(JSON.stringify({ joinMs, rssBytes, channels: core.book.size, phasesMs }));
await follower?.close();
await proofWriter.close();
store.close();
process.exit(0);
