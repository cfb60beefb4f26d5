import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import {
  type Address,
  createPublicClient,
  formatEther,
  getAddress,
  http,
  isAddress,
  type PublicClient,
  parseUnits,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  type ChannelManagerTerms,
  channelManagerAddress,
  channelManagerDeployCall,
  channelManagerInitCode,
} from "../deploy/deployChannelManager.ts";
import { deterministicDeployer } from "../deploy/deterministicDeployer.ts";
import { hasCode } from "../deploy/hasCode.ts";
import { readTokenInfo } from "../readTokenInfo.ts";
import { defaultConfigFile } from "./cliOptions.ts";

/**
 * Gas of one operator transaction (a withdraw, a close, a challenge), with room to spare: `npm run bench:gas` measures
 * a cooperative close at 74,691 gas on USDC, and `npm run bench:site-owner` a one-channel withdraw at 98,764 (the
 * batch's fixed cost, paid once however many channels it takes). The start-to-paid test checks a real withdraw stays
 * under it.
 */
export const operatorTransactionGas = 150_000n;
/** How many operator transactions `init` asks the key to hold ether for. */
const reservedTransactions = 20n;

/** Options that are `init`'s own and never go into the config file. */
const initOnly = new Set(["dir", "config", "help", "price"]);

/** Files `init` makes, relative to the folder it is run in (the config names them so). */
export const initFiles = {
  key: "receiver.key",
  operatorToken: "operator-token",
  deployment: "deployment.json",
  db: "receiver.db",
} as const;

/**
 * `micro-raiden-server init`: makes a site's receiver in a folder — its key (mode 600), an operator token (mode
 * 600) and the config file `start`, `deploy`, `withdraw` and `close-all` read — from the options given. The price
 * is given in tokens and stored in base units (the token's decimals read from the chain); every other option given
 * goes into the config as it is. An existing key or token is kept; an existing config file is never overwritten.
 * Says how much ether the key needs for gas and what to put in the site's pages.
 */
export async function initCommand(
  options: Record<string, string | string[] | boolean | undefined>,
  io: { print: (line: string) => void; fail: (message: string) => never },
): Promise<void> {
  const { print, fail } = io;
  const text = (key: string): string => {
    const value = options[key];
    return typeof value === "string" && value !== "" ? value : fail(`--${key} is required`);
  };
  const dir = resolve(typeof options.dir === "string" ? options.dir : ".");
  const configPath = join(dir, defaultConfigFile);
  if (existsSync(configPath)) return fail(`${configPath} exists already: edit it, or init another folder`);
  const rpcUrl = text("rpc-url");
  const tokenText = text("token");
  if (!isAddress(tokenText, { strict: false })) return fail("--token must be a 0x-prefixed 20-byte address");
  const token = getAddress(tokenText);
  const upstream = text("upstream");
  const priceText = text("price");

  const publicClient: PublicClient = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await publicClient.getChainId();
  if (!(await hasCode(publicClient, token))) return fail(`there is no contract at ${token} on chain ${chainId}`);
  const { symbol, decimals } = await readTokenInfo(publicClient, token);
  const price =
    tokenAmount(priceText, decimals) ??
    fail(`--price must be a positive amount of ${symbol} with at most ${decimals} decimals, e.g. 0.001`);
  print(
    `Chain ${chainId}; token ${token} (${symbol}, ${decimals} decimals); price ${priceText} ${symbol} = ${price} base units`,
  );

  await mkdir(dir, { recursive: true });
  const keyPath = join(dir, initFiles.key);
  if (existsSync(keyPath)) print(`Kept the existing key in ${keyPath}`);
  else {
    await writeFile(keyPath, `${generatePrivateKey()}\n`, { mode: 0o600, flag: "wx" });
    print(`Wrote a new receiver key to ${keyPath} (mode 600: back it up, it receives the payments)`);
  }
  const receiver = privateKeyToAccount(await readPrivateKeyFile(keyPath)).address;
  const tokenPath = join(dir, initFiles.operatorToken);
  if (existsSync(tokenPath)) print(`Kept the existing operator token in ${tokenPath}`);
  else {
    await writeFile(tokenPath, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    print(`Wrote an operator token to ${tokenPath} (mode 600: withdraw and close-all send it)`);
  }

  const host = typeof options.host === "string" ? options.host : "127.0.0.1";
  const port = typeof options.port === "string" ? options.port : "3000";
  const config: Record<string, string | string[] | boolean> = {
    "rpc-url": rpcUrl,
    token,
    deployment: initFiles.deployment,
    "private-key-file": initFiles.key,
    "operator-token-file": initFiles.operatorToken,
    db: initFiles.db,
    upstream,
    price: String(price),
    url: `http://${host}:${port}`,
  };
  for (const [key, value] of Object.entries(options)) {
    if (initOnly.has(key) || value === undefined || key in config) continue;
    config[key] = value;
  }
  // The widget's files, when the site installed it beside the receiver: the 402 pages need them.
  const browser = join(dir, "node_modules", "@micro-raiden", "widget", "dist", "browser");
  if (!config["paywall-script-file"] && existsSync(join(browser, "paywall.js"))) {
    config["paywall-script-file"] = join("node_modules", "@micro-raiden", "widget", "dist", "browser", "paywall.js");
  }
  if (!config["service-worker-file"] && existsSync(join(browser, "micro-raiden-sw.js"))) {
    config["service-worker-file"] = join(
      "node_modules",
      "@micro-raiden",
      "widget",
      "dist",
      "browser",
      "micro-raiden-sw.js",
    );
  }
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { flag: "wx" });
  print(`Wrote ${configPath}`);

  const challengePeriod =
    typeof options["challenge-period"] === "string" ? Number(options["challenge-period"]) : undefined;
  const manager = channelManagerAddress({ token, challengePeriod });
  const deployed = await hasCode(publicClient, manager);
  const gasPrice = await publicClient.getGasPrice();
  const operating = reservedTransactions * operatorTransactionGas * gasPrice;
  const deploying = deployed ? 0n : await deploymentCost(publicClient, receiver, gasPrice, { token, challengePeriod });
  const balance = await publicClient.getBalance({ address: receiver });
  print("");
  print(`The receiver ${receiver} pays the gas of its withdrawals, closes and challenges: about`);
  print(
    `${operatorTransactionGas} gas each, ${formatEther(operatorTransactionGas * gasPrice)} ETH at today's gas price.`,
  );
  print(
    deployed
      ? `The channel manager for this token is on this chain already, at ${manager}.`
      : `The channel manager for this token is not on this chain yet: \`deploy\` puts it at ${manager} for about ${formatEther(deploying)} ETH.`,
  );
  const needed = operating + deploying;
  if (balance >= needed)
    print(
      `It holds ${formatEther(balance)} ETH: enough for ${reservedTransactions} transactions${deployed ? "" : " and the deployment"}.`,
    );
  else
    print(
      `It holds ${formatEther(balance)} ETH: send it at least ${formatEther(needed - balance)} ETH more (${reservedTransactions} transactions${deployed ? "" : " and the deployment"}).`,
    );

  print("");
  print("Next:");
  if (!deployed) print(`  npx micro-raiden-server deploy        (in ${dir})`);
  print(`  npx micro-raiden-server start         (in ${dir})`);
  print("");
  print(
    `Readers open pages under ${config.url}/proxy/ (served from ${upstream}); on any other page, sell a part with:`,
  );
  print(`  <div data-micro-raiden-src="${config.url}/proxy/PATH">Subscribers read on…</div>`);
  print(`  <script src="${config.url}/micro-raiden/paywall.js" async></script>`);
  if (!config["cors-origin"]) print('(a page on another origin needs its origin in the config\'s "cors-origin" list)');
}

/** A decimal amount of tokens in base units, or undefined unless positive with at most `decimals` decimals. */
export function tokenAmount(text: string, decimals: number): bigint | undefined {
  const match = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > decimals) return undefined;
  const amount = parseUnits(text, decimals);
  return amount > 0n ? amount : undefined;
}

/**
 * What deploying the manager costs in ether: its gas through the proxy (estimated as a plain deployment where the
 * proxy is missing), plus the proxy's placing there.
 */
async function deploymentCost(
  publicClient: PublicClient,
  from: Address,
  gasPrice: bigint,
  terms: ChannelManagerTerms,
): Promise<bigint> {
  if (await hasCode(publicClient, deterministicDeployer.address)) {
    return (await publicClient.estimateGas({ account: from, ...channelManagerDeployCall(terms) })) * gasPrice;
  }
  const gas = await publicClient.estimateGas({ account: from, data: channelManagerInitCode(terms) });
  return gas * gasPrice + deterministicDeployer.funding;
}
