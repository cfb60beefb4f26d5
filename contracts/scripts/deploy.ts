// Deploys a token (the demo token, or USDC's own: Circle's FiatToken V2.2 behind its proxy) unless an existing
// token is given, and the channel manager, and writes the deployment file every other part reads. Usable as a CLI
// and as a function (the one-command demo calls it).
//
//   node scripts/deploy.ts [--rpc-url URL] [--private-key-file PATH] [--challenge-period BLOCKS]
//                          [--token ADDRESS | --token-kind demo|usdc [--token-proxy-admin ADDRESS]] [--out PATH]
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { channelManagerRuntimeCode, type Deployment, parseDeployment } from "@micro-raiden/web-client/protocol";
import {
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  isAddress,
  isHex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { deployFiatToken, type FiatTokenDeployment } from "./fiatToken.ts";

/** Hardhat's well-known development mnemonic: its accounts are funded on a local node, and on no real chain. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);
export const DEFAULT_CHALLENGE_PERIOD = 500;
/** The tokens the script can deploy: the demo token (18 decimals, ERC-1363, a faucet) or USDC's own FiatToken V2.2. */
export const TOKEN_KINDS = ["demo", "usdc"] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
/**
 * On a local chain, the USDC proxy's admin is Hardhat's development account 19 unless one is given: an account no
 * test or demo uses, since the proxy refuses to forward any call its admin makes.
 */
export const LOCAL_PROXY_ADMIN_INDEX = 19;

export type DeployParameters = {
  rpcUrl: string;
  /** The deployer. Defaults to Hardhat's first development account, and only on a local chain. */
  account?: Account;
  /** In blocks, within the contract's bounds (`channelManagerRuntimeCode.challengePeriod`: 500 to 1,000,000). */
  challengePeriod?: number;
  /** Use this token instead of deploying one. */
  token?: Address;
  /** Which token to deploy when none is given: the demo token (the default) or USDC's own FiatToken V2.2. */
  tokenKind?: TokenKind;
  /**
   * With `tokenKind: "usdc"`: the admin of the token's proxy (it alone can upgrade it, and it can use no token
   * function). Required on other than a local chain; on a local chain, Hardhat's development account 19.
   */
  tokenProxyAdmin?: Address;
};

/** What {@link deployWithDetails} deployed: the deployment record and, for a USDC token, its other contracts. */
export type DeployedContracts = {
  deployment: Deployment;
  /** With `tokenKind: "usdc"`: the proxy (`deployment.token`), implementation, MasterMinter and proxy admin. */
  usdc?: FiatTokenDeployment & { proxyAdmin: Address };
};

async function artifact(name: "ChannelManager" | "DemoToken") {
  const path = new URL(`../artifacts/contracts/${name}.sol/${name}.json`, import.meta.url);
  const json: unknown = JSON.parse(
    await readFile(path, "utf8").catch(() => {
      throw new Error(`No ${name} artifact: run \`npm run build -w contracts\` first.`);
    }),
  );
  const bytecode = typeof json === "object" && json !== null ? Reflect.get(json, "bytecode") : undefined;
  const abi = typeof json === "object" && json !== null ? Reflect.get(json, "abi") : undefined;
  if (!isHex(bytecode) || !Array.isArray(abi)) throw new Error(`Malformed ${name} artifact.`);
  return { bytecode, abi };
}

/** Throws unless `challengePeriod` is a whole number of blocks the contract accepts. */
export function checkChallengePeriod(challengePeriod: number): void {
  const { min, max } = channelManagerRuntimeCode.challengePeriod;
  if (!Number.isSafeInteger(challengePeriod) || challengePeriod < min || challengePeriod > max) {
    throw new Error(
      `The challenge period must be a whole number of blocks from ${min} to ${max}, not ${challengePeriod}.`,
    );
  }
}

/** Deploys the contracts and returns the deployment record (not yet written anywhere). */
export async function deployContracts(parameters: DeployParameters): Promise<Deployment> {
  return (await deployWithDetails(parameters)).deployment;
}

/**
 * Deploys the contracts and returns the deployment record with the details of the token it deployed. For USDC the
 * deployer is the token's owner, pauser and blacklister, and its minter with an unlimited allowance (through the
 * MasterMinter it owns and controls), so it mints as it does the demo token.
 */
export async function deployWithDetails(parameters: DeployParameters): Promise<DeployedContracts> {
  const challengePeriod = parameters.challengePeriod ?? DEFAULT_CHALLENGE_PERIOD;
  checkChallengePeriod(challengePeriod);
  const tokenKind = parameters.tokenKind ?? "demo";
  checkTokenKind(tokenKind);
  if (parameters.token && parameters.tokenKind) {
    throw new Error("Give either an existing token or the kind of token to deploy, not both.");
  }
  if (parameters.tokenProxyAdmin && tokenKind !== "usdc") {
    throw new Error("A token proxy admin is only for a USDC token.");
  }
  const transport = http(parameters.rpcUrl);
  const publicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const local = LOCAL_CHAIN_IDS.has(chainId);
  let account = parameters.account;
  if (!account) {
    if (!local) {
      throw new Error(`Chain ${chainId} is not a local chain: give the deployer's key with --private-key-file.`);
    }
    account = mnemonicToAccount(HARDHAT_MNEMONIC);
  }
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const wallet = createWalletClient({ account, transport, chain });

  async function deploy(name: "ChannelManager" | "DemoToken", args: readonly unknown[]) {
    const { abi, bytecode } = await artifact(name);
    const hash = await wallet.deployContract({ abi, bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress)
      throw new Error(`Deploying ${name} failed (${hash}).`);
    return receipt;
  }

  let token = parameters.token;
  let usdc: DeployedContracts["usdc"];
  if (!token && tokenKind === "usdc") {
    let proxyAdmin = parameters.tokenProxyAdmin;
    if (!proxyAdmin) {
      if (!local) throw new Error(`Chain ${chainId} is not a local chain: give the token's proxy admin.`);
      proxyAdmin = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: LOCAL_PROXY_ADMIN_INDEX }).address;
    }
    usdc = { ...(await deployFiatToken({ publicClient, wallet, roles: { proxyAdmin } })), proxyAdmin };
    token = usdc.token;
  }
  token ??= (await deploy("DemoToken", ["Demo Token", "TKN", account.address])).contractAddress ?? undefined;
  if (!token) throw new Error("No token address.");
  const manager = await deploy("ChannelManager", [token, BigInt(challengePeriod)]);
  const deployment = parseDeployment({
    chainId,
    channelManager: manager.contractAddress,
    token: getAddress(token),
    deploymentBlock: Number(manager.blockNumber),
    challengePeriod,
  });
  return usdc ? { deployment, usdc } : { deployment };
}

/** Throws unless `kind` names a token the script deploys. */
export function checkTokenKind(kind: string): asserts kind is TokenKind {
  if (!(TOKEN_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`The token kind must be one of ${TOKEN_KINDS.join(", ")}, not ${kind}.`);
  }
}

/** Writes a deployment file (creating its folder). */
export async function writeDeployment(path: string, deployment: Deployment): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(deployment, null, 2)}\n`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      "rpc-url": { type: "string", default: "http://127.0.0.1:8545" },
      "private-key-file": { type: "string" },
      "challenge-period": { type: "string", default: String(DEFAULT_CHALLENGE_PERIOD) },
      token: { type: "string" },
      "token-kind": { type: "string" },
      "token-proxy-admin": { type: "string" },
      out: { type: "string" },
    },
  });
  const challengePeriod = Number(values["challenge-period"]);
  checkChallengePeriod(challengePeriod);
  if (values.token !== undefined && !isAddress(values.token, { strict: false })) {
    throw new Error("--token must be an address.");
  }
  const tokenKind = values["token-kind"];
  if (tokenKind !== undefined) checkTokenKind(tokenKind);
  const proxyAdmin = values["token-proxy-admin"];
  if (proxyAdmin !== undefined && !isAddress(proxyAdmin, { strict: false })) {
    throw new Error("--token-proxy-admin must be an address.");
  }
  const keyFile = values["private-key-file"];
  const { deployment, usdc } = await deployWithDetails({
    rpcUrl: values["rpc-url"],
    challengePeriod,
    ...(keyFile ? { account: privateKeyToAccount(await readPrivateKeyFile(keyFile)) } : {}),
    ...(values.token ? { token: getAddress(values.token) } : {}),
    ...(tokenKind ? { tokenKind } : {}),
    ...(proxyAdmin ? { tokenProxyAdmin: getAddress(proxyAdmin) } : {}),
  });
  const out = resolve(
    values.out ?? fileURLToPath(new URL(`../deployments/${deployment.chainId}.json`, import.meta.url)),
  );
  await writeDeployment(out, deployment);
  console.log(JSON.stringify(deployment, null, 2));
  if (usdc) {
    console.log(
      `USDC (Circle's FiatToken V2.2) at ${usdc.token}: implementation ${usdc.implementation}, MasterMinter ` +
        `${usdc.masterMinter}, proxy admin ${usdc.proxyAdmin}; the deployer is its owner, pauser, blacklister and minter.`,
    );
  }
  console.log(`Deployment written to ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
