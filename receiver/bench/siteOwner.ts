// npm run bench:site-owner — what each step of the receiver README's "from nothing" path costs on a fresh local
// chain (Hardhat's, in this process, with USDC's own token): the wall time of `init`, `deploy` (placing the
// deterministic deployment proxy, then the manager), a second `deploy` (finds it, sends nothing), `start` until it
// listens, and a `withdraw`, each run as its own process as a site owner runs them; and the gas and ether of every
// transaction they sent. Times include starting Node and loading the receiver (a few seconds on a busy machine).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestChain } from "@micro-raiden/contracts/testing";
import { fetchWithPayment } from "@micro-raiden/web-client";
import { parseDeployment } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, formatEther, type Hash, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readerChannel } from "../src/cli/readerChannel.test-helper.ts";

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url));
const chain = await startTestChain({ tokenKind: "usdc" });
const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
const dir = mkdtempSync(join(tmpdir(), "bench-site-owner-"));
const upstream = createServer((request, response) => response.end(`page ${request.url}`));
await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const probe = createServer();
await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
const port = (probe.address() as AddressInfo).port;
await new Promise((resolve) => probe.close(resolve));

function run(args: string[]): Promise<{ ms: number; stdout: string; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) =>
      error ? reject(new Error(`${args[0]}: ${stderr}`)) : resolve({ ms: performance.now() - started, stdout, stderr }),
    ),
  );
}
const hashes = (text: string) => [...new Set(text.match(/0x[0-9a-f]{64}/g) ?? [])] as Hash[];
async function gasOf(text: string) {
  const receipts = await Promise.all(hashes(text).map((hash) => publicClient.getTransactionReceipt({ hash })));
  const gas = receipts.reduce((sum, r) => sum + r.gasUsed, 0n);
  const ether = receipts.reduce((sum, r) => sum + r.gasUsed * r.effectiveGasPrice, 0n);
  return { transactions: receipts.length, gas, ether };
}
const rows: { step: string; ms: number; transactions: number; gas: bigint; ether: bigint }[] = [];
const none = { transactions: 0, gas: 0n, ether: 0n };

const init = await run([
  "init",
  "--rpc-url",
  chain.rpcUrl,
  "--token",
  chain.deployment.token,
  "--price",
  "0.001",
  "--upstream",
  `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  "--port",
  String(port),
]);
rows.push({ step: "init", ms: init.ms, ...none });
const receiver = privateKeyToAccount(readFileSync(join(dir, "receiver.key"), "utf8").trim() as Hash);
const [funder] = chain.accounts;
if (!funder) throw new Error("no funded account");
await publicClient.waitForTransactionReceipt({
  hash: await createWalletClient({ account: funder, transport: http(chain.rpcUrl) }).sendTransaction({
    chain: null,
    to: receiver.address,
    value: parseEther("1"),
  }),
});
const deploy = await run(["deploy"]);
console.log(deploy.stdout);
rows.push({ step: "deploy (places the proxy, then the manager)", ms: deploy.ms, ...(await gasOf(deploy.stdout)) });
const again = await run(["deploy"]);
rows.push({ step: "deploy again (finds it)", ms: again.ms, ...(await gasOf(again.stdout)) });

const started = performance.now();
const server: ChildProcess = spawn(process.execPath, [bin, "start"], {
  cwd: dir,
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise<void>((resolve) =>
  server.stdout?.on("data", (chunk: Buffer) => chunk.includes("listening on") && resolve()),
);
rows.push({ step: "start (until it listens)", ms: performance.now() - started, ...none });

const deployment = parseDeployment(JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8")));
const client = await readerChannel(chain, dir, 100_000n);
const paid = await fetchWithPayment(client, { input: `http://127.0.0.1:${port}/proxy/a` });
if (paid.status !== 200) throw new Error(`paid page answered ${paid.status}`);
const withdraw = await run(["withdraw"]);
rows.push({ step: "withdraw (one channel)", ms: withdraw.ms, ...(await gasOf(withdraw.stdout)) });
server.kill("SIGTERM");
upstream.close();
await chain.close();

console.log(
  `site owner's path on a fresh local chain (USDC, chain ${deployment.chainId}), manager ${deployment.channelManager}`,
);
console.log(
  "step                                         | time   | transactions | gas       | ether at the chain's gas price",
);
for (const row of rows) {
  console.log(
    `${row.step.padEnd(44)} | ${(row.ms / 1000).toFixed(1).padStart(5)} s | ${String(row.transactions).padStart(12)} | ${String(row.gas).padStart(9)} | ${formatEther(row.ether)}`,
  );
}
