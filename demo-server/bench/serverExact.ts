// npm run bench:server -- --exact — the same receiver on USDC's own token (Circle's FiatToken) paid two ways, row by
// row: by channel (a balance proof per request, no transaction) and by x402's `exact` (one EIP-3009
// transferWithAuthorization per request, settled by the receiver through its one nonce source and awaited before the
// answer). The difference is the point: one transaction per request against none.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startTestChain } from "@micro-raiden/contracts/testing";
import {
  channelManagerAbi,
  demoTokenAbi,
  headerNames,
  transferWithAuthorizationTypedData,
} from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, toHex, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { demoPrice, pricePerCharacter } from "../src/createDemoApp.ts";
import { spawnDemoServer } from "../src/testing/spawnDemoServer.ts";
import { signProofPlan } from "./paidPlan.ts";

const SENDERS = Number(process.env.SENDERS ?? 20);
const CHANNEL_PER_SENDER = Number(process.env.PER_SENDER ?? 100);
const EXACT_PER_SENDER = Number(process.env.EXACT_PER_SENDER ?? 10);
const price = demoPrice(pricePerCharacter, 6); // /echodyn/x: one character, 0.0001 USDC (100 base units)

const chain = await startTestChain({ tokenKind: "usdc" });
const dir = await mkdtemp(join(tmpdir(), "bench-exact-"));
const receiver = chain.accounts[2];
if (!receiver) throw new Error("accounts");
const transport = http(chain.rpcUrl);
const publicClient = createPublicClient({ transport });
const { deployment } = chain;
const balanceOfReceiver = () =>
  publicClient.readContract({
    address: deployment.token,
    abi: demoTokenAbi,
    functionName: "balanceOf",
    args: [receiver.address],
  });

console.log(`Opening ${SENDERS} channels on USDC…`);
const senders = Array.from({ length: SENDERS }, () => privateKeyToAccount(generatePrivateKey()));
const deposit = price * BigInt(CHANNEL_PER_SENDER);
for (const sender of senders) {
  await chain.testClient.setBalance({ address: sender.address, value: parseEther("10") });
  await chain.mint(sender.address, deposit + price * BigInt(EXACT_PER_SENDER));
}
const channels = await Promise.all(
  senders.map(async (sender) => {
    const wallet = createWalletClient({ account: sender, transport });
    const approval = await wallet.writeContract({
      chain: null,
      address: deployment.token,
      abi: demoTokenAbi,
      functionName: "approve",
      args: [deployment.channelManager, deposit],
    });
    await publicClient.waitForTransactionReceipt({ hash: approval });
    const hash = await wallet.writeContract({
      chain: null,
      address: deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "createChannel",
      args: [receiver.address, deposit, zeroAddress],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
    if (!created) throw new Error("no channel");
    return { sender, openBlock: created.args.openBlock };
  }),
);

const { child: server, url } = await spawnDemoServer({
  dir,
  rpcUrl: chain.rpcUrl,
  deployment,
  privateKey: toHex(receiver.getHdKey().privateKey ?? new Uint8Array()),
  pollIntervalMs: 100,
});

// The `exact` entry exactly as the receiver's 402 offers it: what an x402 client echoes as `accepted`.
const offered = JSON.parse(atob((await fetch(`${url}/echodyn/x`)).headers.get(headerNames.paymentRequired) ?? ""));
const accepted = offered.accepts.find((entry: { scheme: string }) => entry.scheme === "exact");
if (!accepted) throw new Error("The receiver offers no exact payment on this token.");
const tokenDomain = {
  name: accepted.extra.name,
  version: accepted.extra.version,
  chainId: deployment.chainId,
  verifyingContract: deployment.token,
};

console.log(`Signing ${SENDERS * CHANNEL_PER_SENDER} balance proofs and ${SENDERS * EXACT_PER_SENDER} authorizations…`);
const channelPlan = await signProofPlan({
  channels,
  receiver: receiver.address,
  deployment,
  price,
  count: CHANNEL_PER_SENDER,
  path: "/echodyn/x",
});
const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3600);
const exactPlan = await Promise.all(
  senders.map(async (sender) => {
    const plan = [];
    for (let i = 0; i < EXACT_PER_SENDER; i++) {
      const authorization = {
        from: sender.address,
        to: receiver.address,
        value: price,
        validAfter: 0n,
        validBefore,
        nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
      };
      const signature = await sender.signTypedData(transferWithAuthorizationTypedData(tokenDomain, authorization));
      const payload = {
        x402Version: 2,
        accepted,
        payload: {
          authorization: {
            ...authorization,
            value: authorization.value.toString(),
            validAfter: "0",
            validBefore: validBefore.toString(),
          },
          signature,
        },
      };
      plan.push({ path: "/echodyn/x", headers: { [headerNames.paymentSignature]: btoa(JSON.stringify(payload)) } });
    }
    return plan;
  }),
);
await writeFile(join(dir, "channel.json"), JSON.stringify({ senders: channelPlan }));
await writeFile(join(dir, "exact.json"), JSON.stringify({ senders: exactPlan }));

type Result = { requests: number; perSecond: number; p50: number; p99: number; statuses: Record<string, number> };
async function load(file: string): Promise<Result> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    fileURLToPath(new URL("./load.ts", import.meta.url)),
    join(dir, file),
    url,
  ]);
  return JSON.parse(stdout);
}

console.log("Measuring…\n");
const channel = await load("channel.json");
const before = await balanceOfReceiver();
const exact = await load("exact.json");
const transferred = (await balanceOfReceiver()) - before;
server.kill("SIGTERM");
await chain.close();
await rm(dir, { recursive: true });

const row = (name: string, r: Result) =>
  `| ${name.padEnd(40)} | ${r.requests.toString().padStart(8)} | ${Math.round(r.perSecond).toString().padStart(10)} | ${r.p50.toFixed(2).padStart(8)} | ${r.p99.toFixed(2).padStart(8)} | ${JSON.stringify(r.statuses)}`;
console.log(`| ${"paid GET /echodyn/x on USDC".padEnd(40)} | requests | requests/s | p50 (ms) | p99 (ms) | statuses`);
console.log(`|${"-".repeat(42)}|----------|------------|----------|----------|---------`);
console.log(row("channel (balance proof, no transaction)", channel));
console.log(row("exact (one transferWithAuthorization)", exact));
console.log(
  `\n${SENDERS} concurrent senders; ${CHANNEL_PER_SENDER} channel and ${EXACT_PER_SENDER} exact requests each; Hardhat automine, SQLite store.`,
);
console.log(
  `exact: ${transferred / price} transfers to the receiver on chain for ${exact.statuses["200"] ?? 0} paid answers.`,
);
if ((channel.statuses["200"] ?? 0) !== channel.requests || (exact.statuses["200"] ?? 0) !== exact.requests) {
  console.log("WARNING: not every paid request was accepted.");
  process.exitCode = 1;
}
if (transferred !== price * BigInt(exact.statuses["200"] ?? 0)) {
  console.log("WARNING: the transfers on chain do not match the paid answers.");
  process.exitCode = 1;
}
