// The child process of bench/channelBook.ts: a receiver joining its store as startReceiver does (open the store,
// create the core; on PostgreSQL join the database's followers), then answering its first paid request (a payment on
// `benchPayer`'s channel, somewhere in the middle of the store, signed by the parent: the client's work), measured alone in a fresh process from its start.
// Prints one JSON line: { firstPaidMs, rssBytes, statsMs, channelsInMemory, phasesMs }.
import { encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
import { followDatabase } from "../src/cluster/followDatabase.ts";
import { receiverApp } from "../src/http/receiverApp.ts";
import { createReceiverCore } from "../src/receiver/createReceiverCore.ts";
import { receiverFromCore } from "../src/receiver/receiverFromCore.ts";
import { openReceiverStore } from "../src/store/openReceiverStore.ts";
import {
  benchDeployment,
  benchPayer,
  benchPayerChannel,
  benchPrice,
  benchPublicClient,
  benchReceiver,
} from "./fillChannels.ts";

const [kind, location, count, signature] = process.argv.slice(2);
if ((kind !== "sqlite" && kind !== "postgres") || !location || !count || !signature?.startsWith("0x"))
  throw new Error("usage: channelBookJoin sqlite|postgres PATH|URL CHANNELS SIGNATURE (the payment's, by benchPayer)");
const deployment = benchDeployment;

// Milliseconds since this process started (performance's time origin): module loading counts.
const started = performance.now();
const { store, proofWriter, shared, readTotals } = await openReceiverStore(
  kind === "sqlite" ? { dbPath: location } : { databaseUrl: location },
);
const opened = performance.now();
const core = createReceiverCore({ store, account: benchReceiver, deployment, proofWriter, shared, readTotals });
const follower = kind === "postgres" ? followDatabase({ url: location, core, log: () => {} }) : undefined;
await follower?.start();
const joined = performance.now();

const receiver = receiverFromCore(core, { publicClient: benchPublicClient });
const app = receiverApp({
  receiver,
  routes: (site, { paywall }) => site.get("/article", paywall({ price: benchPrice }), (c) => c.text("paid")),
});
const channel = benchPayerChannel(Number(count));
const balance = channel.balance + benchPrice;
const response = await app.request("/article", {
  headers: encodePaymentHeaders({
    contract: deployment.channelManager,
    receiver: benchReceiver.address,
    sender: benchPayer.address,
    openBlock: channel.openBlock,
    balance,
    signature: signature as `0x${string}`,
  }),
});
if (response.status !== 200) throw new Error(`the first paid request was answered ${response.status}`);
await response.text();
const firstPaidMs = performance.now();
globalThis.gc?.();
const rssBytes = process.memoryUsage().rss;
// What /stats costs now: the totals added up by the store over every channel.
const statsStart = performance.now();
const stats = await app.request(`${receiver.gatewayPath}/stats`);
if (stats.status !== 200) throw new Error(`/stats answered ${stats.status}`);
await stats.text();
const statsMs = performance.now() - statsStart;
const phasesMs = { open: opened - started, join: joined - opened, pay: firstPaidMs - joined };
console.log(JSON.stringify({ firstPaidMs, rssBytes, statsMs, channelsInMemory: core.book.size, phasesMs }));
await follower?.close();
await proofWriter.close();
store.close();
process.exit(0);
