// `npm start`: brings the whole demo up. Starts a Hardhat node, deploys the demo token and the channel manager,
// funds a demo reader, starts the receiver with demo content, and prints the URLs, the chain and the reader's key
// to import into MetaMask. Ctrl-C stops everything.
//
// With RPC_URL set it runs against that chain instead: DEPLOYMENT names its deployment file (otherwise it deploys
// with DEPLOYER_KEY_FILE) and RECEIVER_KEY_FILE the receiver's key.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { deployContracts, HARDHAT_MNEMONIC, writeDeployment } from "@micro-raiden/contracts/deploy";
import { demoRoutes } from "@micro-raiden/demo-server";
import { startServer } from "@micro-raiden/receiver";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { demoTokenAbi, parseDeployment } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, formatEther, http, parseEther, toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

const contractsDir = fileURLToPath(new URL("../contracts/", import.meta.url));
const port = Number(process.env.CHAIN_PORT ?? 8545);
const serverPort = Number(process.env.PORT ?? 3000);
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

async function main() {
  const external = process.env.RPC_URL;
  const rpcUrl = external ?? (await startLocalChain());
  const deployment = process.env.DEPLOYMENT
    ? parseDeployment(JSON.parse(await readFile(process.env.DEPLOYMENT, "utf8")))
    : await deployContracts({
        rpcUrl,
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
  if (!external) {
    const minter = createWalletClient({ account: mnemonicToAccount(HARDHAT_MNEMONIC), transport });
    const hash = await minter.writeContract({
      address: deployment.token,
      abi: demoTokenAbi,
      functionName: "mint",
      args: [reader.address, parseEther("1000")],
      chain: null,
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  const [tokens, eth] = await Promise.all([
    publicClient.readContract({
      address: deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [reader.address],
    }),
    publicClient.getBalance({ address: reader.address }),
  ]);

  // The receiver: Hardhat's development account #2 locally, or the key file given for another chain.
  const receiverKey = process.env.RECEIVER_KEY_FILE
    ? await readPrivateKeyFile(process.env.RECEIVER_KEY_FILE)
    : external
      ? undefined
      : toHex(mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 2 }).getHdKey().privateKey ?? new Uint8Array());
  if (!receiverKey) throw new Error("Set RECEIVER_KEY_FILE to the receiver's key file to run against another chain.");
  const dataDir = fileURLToPath(new URL("../demo-server/.data/", import.meta.url));
  await mkdir(dataDir, { recursive: true });
  const dbPath = `${dataDir}demo-${deployment.chainId}-${deployment.channelManager.slice(2, 10)}.db`;
  // A fresh local chain reuses addresses and block numbers: proofs from the last run would haunt its channels.
  if (!external) await Promise.all(["", "-wal", "-shm"].map((suffix) => rm(`${dbPath}${suffix}`, { force: true })));
  const operatorToken = randomBytes(24).toString("hex");
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
    sponsor: { minDeposit: parseEther("0.01") },
    log: (level, message) => {
      if (level !== "info") console.error(`[receiver] ${message}`);
    },
  });
  cleanups.push(() => server.close());

  console.log(`
µRaiden demo is up.

  site               ${server.url}/            (free index)
  paid article       ${server.url}/articles/1
  dynamic price      ${server.url}/echodyn/hello
  free page          ${server.url}/free
  receiver API       ${server.url}/api/1/stats
  operator token     ${operatorToken}   (Authorization: Bearer …, for /api/1/channels and operator commands)
  receiver           ${server.receiver.address}

  chain RPC URL      ${rpcUrl}
  chain id           ${deployment.chainId}
  channel manager    ${deployment.channelManager}
  token (TKN)        ${deployment.token}
  challenge period   ${deployment.challengePeriod} blocks
${
  external
    ? ""
    : `
  demo reader        ${reader.address}  (${formatEther(tokens)} TKN, ${formatEther(eth)} ETH)
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
