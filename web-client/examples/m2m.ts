// µRaiden's M2M client, rebuilt: a machine with a private key pays for several resources of a receiver, then closes
// its channel cooperatively. Run it against the demo (`npm start` in another terminal):
//
//   npm run demo:m2m [-- --url http://127.0.0.1:3000 --rpc-url http://127.0.0.1:8545 --private-key-file key]
//
// The defaults follow what `npm start` used: PORT and CHAIN_PORT (or RPC_URL) from the environment.
// Without a key file it uses the demo reader (Hardhat's public development account #1).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  ChannelRequiredError,
  closeChannel,
  createChannelClient,
  fetchWithPayment,
  getChannels,
  memoryStorage,
} from "@micro-raiden/web-client";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { decodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
import { type Account, erc20Abi, formatUnits, http, parseUnits } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { readContract } from "viem/actions";

export type M2MResult = { path: string; status: number; price: bigint; body: string };

/**
 * Pays for each of `paths` on the receiver at `baseUrl` (opening a channel with `deposit`, in whole tokens of the
 * receiver's token, if needed), then closes the channel cooperatively. Returns what each request cost and got.
 */
export async function runM2M(parameters: {
  baseUrl: string;
  rpcUrl: string;
  account: Account;
  paths: readonly string[];
  /** Whole tokens, e.g. "0.1" (0.1 USDC is 100,000 base units): read in the token's own decimals. */
  deposit: string;
  log?: (line: string) => void;
}): Promise<{ results: M2MResult[]; closedAt: bigint }> {
  const log = parameters.log ?? (() => {});
  const client = createChannelClient({
    account: parameters.account,
    transport: http(parameters.rpcUrl),
    storage: memoryStorage(),
  });
  const results: M2MResult[] = [];
  let gateway = "";
  const first = parameters.paths[0];
  if (first === undefined) return { results, closedAt: 0n };
  // The token's symbol and decimals, from the token the receiver's 402 names (USDC: "USDC", 6): amounts in whole
  // tokens are read and shown in them.
  const offer = await fetch(`${parameters.baseUrl}${first}`);
  await offer.body?.cancel();
  const read = { address: decodePaymentResponseHeaders(offer.headers).requirements.token, abi: erc20Abi } as const;
  const [symbol, decimals] = await Promise.all([
    readContract(client.publicClient, { ...read, functionName: "symbol" }),
    readContract(client.publicClient, { ...read, functionName: "decimals" }),
  ]);
  const tokens = (amount: bigint) => `${formatUnits(amount, decimals)} ${symbol}`;
  const deposit = parseUnits(parameters.deposit, decimals);
  for (const path of parameters.paths) {
    const url = `${parameters.baseUrl}${path}`;
    const response = await fetchWithPayment(client, { input: url, deposit: () => deposit });
    const { requirements, echo } = decodePaymentResponseHeaders(response.headers);
    gateway = `${parameters.baseUrl}${requirements.gatewayPath}`;
    const body = await response.text();
    results.push({ path, status: response.status, price: requirements.price, body });
    log(
      `${response.status} ${path}: paid ${tokens(requirements.price)}, channel balance ${tokens(echo?.balance ?? 0n)}`,
    );
  }
  const { requirements } = decodePaymentResponseHeaders(offer.headers);
  const [channel] = await getChannels(client, {
    chainId: requirements.chainId,
    contract: requirements.contract,
    receiver: requirements.receiver,
  });
  if (!channel) throw new ChannelRequiredError({ requirements, url: `${parameters.baseUrl}${first}` });
  const closed = await closeChannel(client, { channel, gatewayUrl: gateway });
  log(`closed channel ${closed.openBlock} cooperatively at ${tokens(closed.balance)}; the rest of the deposit is back`);
  return { results, closedAt: closed.balance };
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
      "rpc-url": {
        type: "string",
        default: process.env.RPC_URL ?? `http://127.0.0.1:${process.env.CHAIN_PORT ?? 8545}`,
      },
      "private-key-file": { type: "string" },
    },
  });
  const keyFile = values["private-key-file"];
  const account = keyFile
    ? privateKeyToAccount(await readPrivateKeyFile(keyFile))
    : mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 1 });
  await runM2M({
    baseUrl: values.url,
    rpcUrl: values["rpc-url"],
    account,
    paths: ["/articles/1", "/articles/2", "/articles/3", "/echodyn/machine-to-machine"],
    deposit: "0.1",
    log: (line) => console.log(line),
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`m2m failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
