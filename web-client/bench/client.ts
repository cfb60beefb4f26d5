// npm run bench:client — what a payment costs the client, and what the library costs a page.
//   1. preparing one session-key payment: lock, sign the balance proof, persist the new balance (median, p99);
//   2. balance-proof verifications per second through the protocol module (what a client does with a receiver's
//      echo, and the receiver with close requests; the receiver verifies payments with its own signatureVerifier);
//   3. what a user downloads: each entry of the built package (dist/, what npm pack ships), its own files as
//      emitted and the entry bundled and minified (esbuild), gzipped, with viem external and bundled.
// The timings run the sources: the built JavaScript is the same code with the types erased.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { custom, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { pay } from "../src/actions/pay.ts";
import { createChannelClient } from "../src/client/createChannelClient.ts";
import { memoryLock } from "../src/locks/memoryLock.ts";
import { webLock } from "../src/locks/webLock.ts";
import { balanceProofTypedData, verifyBalanceProof } from "../src/protocol/index.ts";
import type { ChannelStorage, StoredChannel } from "../src/storage/ChannelStorage.ts";
import { fileStorage } from "../src/storage/fileStorage.ts";
import { memoryStorage } from "../src/storage/memoryStorage.ts";

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const ms = (n: number) => `${n.toFixed(3)} ms`;

const sender = privateKeyToAccount(generatePrivateKey());
const sessionKey = generatePrivateKey();
const channel: StoredChannel = {
  chainId: 31337,
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  sender: sender.address,
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  openBlock: 12n,
  deposit: 10n ** 24n,
  balance: 0n,
  balanceSignature: undefined,
  delegatedSigner: privateKeyToAccount(sessionKey).address,
  sessionKey,
  state: "open",
  settleBlock: undefined,
};
// No chain is needed: session-key payments never touch it.
const transport = custom({ request: async () => "0x7a69" });

async function timePayments(storage: ChannelStorage, lock: ReturnType<typeof memoryLock>, count: number) {
  const client = createChannelClient({ account: sender, transport, storage, lock });
  await storage.put(channel);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await pay(client, { channel, amount: 1000n, send: async () => ({ accepted: true, result: undefined }) });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

console.log("1. Preparing one session-key payment (lock + sign + persist), 2,000 payments after 200 warm-up");
await timePayments(memoryStorage(), memoryLock(), 200);
const memory = await timePayments(memoryStorage(), memoryLock(), 2000);
console.log(`   memory storage, in-realm lock : median ${ms(memory.median)}, p99 ${ms(memory.p99)}`);
const web = await timePayments(memoryStorage(), webLock(), 2000);
console.log(`   memory storage, Web Locks     : median ${ms(web.median)}, p99 ${ms(web.p99)}`);
const dir = await mkdtemp(join(tmpdir(), "bench-client-"));
const file = await timePayments(fileStorage(join(dir, "channels.json")), webLock(), 500);
console.log(`   file storage (fsync), Web Locks: median ${ms(file.median)}, p99 ${ms(file.p99)}`);
await rm(dir, { recursive: true });

console.log(
  "\n2. Balance-proof verifications per second (the protocol's verifyBalanceProof: @noble/secp256k1 recovery, one core)",
);
const domain = { chainId: channel.chainId, contract: channel.contract };
const proofs: { balance: bigint; signature: Hex }[] = [];
for (let i = 1; i <= 200; i++) {
  const message = {
    sender: sender.address,
    receiver: channel.receiver,
    openBlock: channel.openBlock,
    balance: BigInt(i),
  };
  proofs.push({
    balance: message.balance,
    signature: await sender.signTypedData(balanceProofTypedData(domain, message)),
  });
}
const verifyOnce = (p: { balance: bigint; signature: Hex }) =>
  verifyBalanceProof({
    domain,
    message: { sender: sender.address, receiver: channel.receiver, openBlock: channel.openBlock, balance: p.balance },
    signature: p.signature,
  });
for (const p of proofs) await verifyOnce(p);
let verified = 0;
const started = performance.now();
while (performance.now() - started < 3000) {
  for (const p of proofs) if (await verifyOnce(p)) verified++;
}
const perSecond = verified / ((performance.now() - started) / 1000);
console.log(`   ${Math.round(perSecond).toLocaleString("en-US")} verifications/s (${ms(1000 / perSecond)} each)`);

console.log("\n3. The built entries (dist/), as emitted and bundled + minified (esbuild, ESM), raw / gzip");
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const sizes = (code: Uint8Array) => `${kB(code.byteLength)} / ${kB(gzipSync(code, { level: 9 }).byteLength)}`;
/** The entry and every module it imports from the package, as tsc emitted them (comments, no minification). */
async function emitted(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(dist, entry)],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    packages: "external",
    logLevel: "silent",
  });
  const files = Object.keys(result.metafile.inputs).map((input) => readFile(input));
  return Buffer.concat(await Promise.all(files));
}
async function bundled(entry: string, external: string[]): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(dist, entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: entry === "node.js" ? "node" : "browser",
    target: "es2022",
    write: false,
    external,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.contents ?? new Uint8Array();
}
for (const [name, entry] of [
  ["@micro-raiden/web-client", "index.js"],
  ["@micro-raiden/web-client/protocol", "protocol/index.js"],
  ["@micro-raiden/web-client/node", "node.js"],
] as const) {
  console.log(`   ${name} (dist/${entry})`);
  console.log(`     emitted modules, unminified : ${sizes(await emitted(entry))}`);
  console.log(`     minified, viem external     : ${sizes(await bundled(entry, ["viem", "viem/*"]))}`);
  console.log(`     minified, viem bundled      : ${sizes(await bundled(entry, []))}`);
}
