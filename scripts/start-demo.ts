// `npm start`: brings the whole demo up. Builds the widget's browser files (the script tag and the Service Worker),
// starts a Hardhat node, deploys a token — USDC's own (Circle's FiatToken V2.2 behind its proxy, 6 decimals) unless
// `-- --token demo` asks for the demo token (18 decimals, ERC-1363) — and the channel manager, funds a demo reader
// (minted by the deployer, the token's minter: for USDC through the MasterMinter's configureMinter), starts the receiver
// with demo content (serving the script tag and the worker), a static content site on another origin that sells
// the receiver's articles as paid fragments, and prints the URLs, the chain and the reader's key to import into
// MetaMask. Ctrl-C stops everything.
//
// With RPC_URL set it runs against that chain instead: DEPLOYMENT names its deployment file (otherwise it deploys
// with DEPLOYER_KEY_FILE) and RECEIVER_KEY_FILE the receiver's key.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  checkTokenKind,
  deployContracts,
  HARDHAT_MNEMONIC,
  type TokenKind,
  writeDeployment,
} from "@micro-raiden/contracts/deploy";
import { articles, demoDatabase, demoRoutes, demoRunDirectory } from "@micro-raiden/demo-server";
import { startServer } from "@micro-raiden/receiver";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { demoTokenAbi, parseDeployment } from "@micro-raiden/web-client/protocol";
import {
  createPublicClient,
  createWalletClient,
  erc20Abi,
  formatEther,
  formatUnits,
  http,
  parseUnits,
  toHex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { build } from "vite";

// `npm start -- --token demo` runs the demo on the demo token (its ERC-1363 path and open faucet); USDC otherwise.
const { values: flags } = parseArgs({ options: { token: { type: "string", default: "usdc" } } });
const tokenKind: TokenKind = ((kind: string) => {
  checkTokenKind(kind);
  return kind;
})(flags.token);
const contractsDir = fileURLToPath(new URL("../contracts/", import.meta.url));
const browserDir = fileURLToPath(new URL("../widget/dist/browser/", import.meta.url));
const port = Number(process.env.CHAIN_PORT ?? 8545);
const serverPort = Number(process.env.PORT ?? 3000);
const sitePort = Number(process.env.SITE_PORT ?? 3001);
// What this demo writes (the receiver's database, the example app built for its receiver) lives in the directory of
// its ports: a second demo on other ports neither opens nor deletes it.
const runDir = demoRunDirectory(fileURLToPath(new URL("../demo-server/.data/", import.meta.url)), {
  port: serverPort,
  chainPort: process.env.RPC_URL ? undefined : port,
});
const exampleDir = `${runDir}/example/`;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function stopAll(code = 0): Promise<never> {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

async function waitForRpc(rpcUrl: string, child: ChildProcess): Promise<void> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with code ${child.exitCode}`);
    try {
      await client.getChainId();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`hardhat node did not answer on ${rpcUrl}`);
}

async function startLocalChain(): Promise<string> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  // process.execPath is the Node 24 that npm put on PATH; hardhat's CLI runs on it.
  const cli = fileURLToPath(import.meta.resolve("hardhat/package.json")).replace(/package\.json$/, "dist/src/cli.js");
  const child = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: contractsDir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  await waitForRpc(rpcUrl, child);
  return rpcUrl;
}

/**
 * The widget's script tag and Service Worker, built from the sources as `npm run build:browser -w widget` does, and
 * the React example app (`build:example`) into this run's directory, for this run's receiver (and local chain).
 */
async function buildBrowserFiles(): Promise<{ paywallScriptFile: string; serviceWorkerFile: string }> {
  const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
  for (const mode of ["paywall", "sw"]) await build({ configFile, mode, logLevel: "warn" });
  // Build-time settings of the example (widget/example/main.tsx), read from the environment.
  process.env.VITE_RECEIVER_URL = `http://127.0.0.1:${serverPort}`;
  if (!process.env.RPC_URL) process.env.VITE_RPC_URL = `http://127.0.0.1:${port}`;
  await build({ configFile, mode: "example", logLevel: "warn", build: { outDir: exampleDir } });
  return { paywallScriptFile: `${browserDir}paywall.js`, serviceWorkerFile: `${browserDir}micro-raiden-sw.js` };
}

/**
 * A static blog on its own origin (`localhost`, where the receiver is `127.0.0.1`): its posts carry a free part
 * and a paid fragment that the script tag buys from the receiver through CORS. The React example app is under
 * /example/ on the same origin.
 */
async function startContentSite(receiverUrl: string): Promise<string> {
  const page = (id: string, title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — a static blog</title>
<style>body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; font: 18px/1.6 Georgia, serif; }</style></head>
<body><p><a href="/">A static blog</a></p><h1>${title}</h1>
<p>This page is plain static HTML on another origin than the receiver. The first part is free; the rest is a paid
fragment the µRaiden script buys from the receiver and shows here.</p>
<div data-micro-raiden-src="${receiverUrl}/articles/${id}"><p>The rest of this post is for paying readers.</p></div>
<script src="${receiverUrl}/micro-raiden/paywall.js" async></script></body></html>`;
  const posts = articles.map((article) => ({ path: `/posts/${article.id}`, html: page(article.id, article.title) }));
  const index = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A static blog</title></head>
<body><h1>A static blog</h1><ul>${articles.map((a) => `<li><a href="/posts/${a.id}">${a.title}</a></li>`).join("")}</ul>
<p><a href="/example/">The same articles in a React app</a> (the widget imported as a component).</p></body></html>`;
  const types: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css" };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://site").pathname;
    if (path.startsWith("/example/")) {
      // The built example app; normalize() keeps a request inside its folder.
      const file = normalize(`/${path.slice("/example/".length) || "index.html"}`);
      readFile(`${exampleDir}${file}`).then(
        (body) => {
          response.writeHead(200, { "content-type": types[extname(file).slice(1)] ?? "application/octet-stream" });
          response.end(body);
        },
        () => {
          response.writeHead(404, { "content-type": "text/plain" });
          response.end("Not found.");
        },
      );
      return;
    }
    const html = path === "/" ? index : posts.find((post) => post.path === path)?.html;
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(html ?? "Not found.");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(sitePort, "127.0.0.1", resolve);
  });
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

async function main() {
  const browserFiles = await buildBrowserFiles();
  const external = process.env.RPC_URL;
  const rpcUrl = external ?? (await startLocalChain());
  const deployment = process.env.DEPLOYMENT
    ? parseDeployment(JSON.parse(await readFile(process.env.DEPLOYMENT, "utf8")))
    : await deployContracts({
        rpcUrl,
        tokenKind,
        ...(process.env.DEPLOYER_KEY_FILE
          ? { account: privateKeyToAccount(await readPrivateKeyFile(process.env.DEPLOYER_KEY_FILE)) }
          : {}),
      });
  if (!process.env.DEPLOYMENT) {
    await writeDeployment(`${contractsDir}deployments/${deployment.chainId}.json`, deployment);
  }

  // The demo reader is Hardhat's development account #1: funded with ETH by the local node, given tokens here.
  const reader = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 1 });
  const readerKey = toHex(reader.getHdKey().privateKey ?? new Uint8Array());
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ transport });
  // Amounts are shown and set in the token's own symbol and decimals (USDC: 6).
  const token = { address: deployment.token, abi: erc20Abi } as const;
  const [symbol, decimals] = await Promise.all([
    publicClient.readContract({ ...token, functionName: "symbol" }),
    publicClient.readContract({ ...token, functionName: "decimals" }),
  ]);
  if (!external) {
    // The deployer is the token's minter (USDC: configured through its MasterMinter, with no allowance limit here);
    // mint(address,uint256) is the same call on both tokens.
    const minter = createWalletClient({ account: mnemonicToAccount(HARDHAT_MNEMONIC), transport });
    const hash = await minter.writeContract({
      address: deployment.token,
      abi: demoTokenAbi,
      functionName: "mint",
      args: [reader.address, parseUnits("1000", decimals)],
      chain: null,
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  const [tokens, eth] = await Promise.all([
    publicClient.readContract({ ...token, functionName: "balanceOf", args: [reader.address] }),
    publicClient.getBalance({ address: reader.address }),
  ]);

  // The receiver: Hardhat's development account #2 locally, or the key file given for another chain.
  const receiverKey = process.env.RECEIVER_KEY_FILE
    ? await readPrivateKeyFile(process.env.RECEIVER_KEY_FILE)
    : external
      ? undefined
      : toHex(mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 2 }).getHdKey().privateKey ?? new Uint8Array());
  if (!receiverKey) throw new Error("Set RECEIVER_KEY_FILE to the receiver's key file to run against another chain.");
  // A fresh local chain reuses addresses and block numbers: proofs from this run directory's last run are removed.
  const dbPath = await demoDatabase(runDir, deployment, { fresh: !external });
  const operatorToken = randomBytes(24).toString("hex");
  // The content site's origin is fixed before the receiver starts: the receiver's CORS must list it.
  const siteOrigin = `http://localhost:${sitePort}`;
  const server = await startServer({
    routes: demoRoutes,
    rpcUrl,
    deployment,
    privateKey: receiverKey,
    dbPath,
    port: serverPort,
    operatorToken,
    pollIntervalMs: 500,
    // Readers holding tokens but no ether can open a channel: the receiver pays the gas of the open.
    sponsor: { minDeposit: parseUnits("0.01", decimals) },
    ...browserFiles,
    corsOrigins: [siteOrigin],
    log: (level, message) => {
      if (level !== "info") console.error(`[receiver] ${message}`);
    },
  });
  cleanups.push(() => server.close());
  const site = await startContentSite(server.url);

  console.log(`
µRaiden demo is up.

  site               ${server.url}/            (free index)
  paid article       ${server.url}/articles/1
  dynamic price      ${server.url}/echodyn/hello
  free page          ${server.url}/free
  content site       ${site}/          (static pages of another origin selling paid fragments)
  React example      ${site}/example/  (the widget imported as a React component)
  receiver API       ${server.url}/api/1/stats
  operator token     ${operatorToken}   (Authorization: Bearer …, for /api/1/channels and operator commands)
  receiver           ${server.receiver.address}

  chain RPC URL      ${rpcUrl}
  chain id           ${deployment.chainId}
  channel manager    ${deployment.channelManager}
  token              ${deployment.token}  (${symbol}, ${decimals} decimals)
  challenge period   ${deployment.challengePeriod} blocks
${
  external
    ? ""
    : `
  demo reader        ${reader.address}  (${formatUnits(tokens, decimals)} ${symbol}, ${formatEther(eth)} ETH)
  its private key    ${readerKey}
                     (Hardhat's public development key: import it into MetaMask for this local chain only)
`
}
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(`demo failed to start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
