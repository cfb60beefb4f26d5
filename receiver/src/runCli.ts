// micro-raiden-server: run the receiver, or send operator commands to a running one (see `--help`).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import {
  apiPaths,
  apiPrefix,
  decodeErrorBody,
  decodeOperatorResults,
  encodeCloseAllRequestBody,
  encodeOperatorResults,
  encodeWithdrawRequestBody,
  MalformedBodyError,
  parseDeployment,
} from "@micro-raiden/web-client/protocol";
import { type Address, getAddress, isAddress } from "viem";
import { UntrustedManagerError } from "./chain/UntrustedManagerError.ts";
import { cliDefaults, cliOptionSpecs, configCommands, defaultConfigFile } from "./cli/cliOptions.ts";
import { deployCommand } from "./cli/deployCommand.ts";
import { initCommand } from "./cli/initCommand.ts";
import { operatorProgress } from "./cli/operatorProgress.ts";
import { rateLimit } from "./cli/rateLimit.ts";
import { readConfigFile } from "./cli/readConfigFile.ts";
import { haproxyConfig } from "./cluster/haproxyConfig.ts";
import { channelManagerAddress, defaultChallengePeriod } from "./deploy/deployChannelManager.ts";
import type { ReceiverAppOptions } from "./http/receiverApp.ts";
import type { SponsorOptions } from "./http/sponsoredOpener.ts";
import { startServer } from "./startServer.ts";
import { assertNodeVersion } from "./store/assertNodeVersion.ts";

const usage = (name: string) => `usage:
  ${name} init --rpc-url URL --token ADDRESS --price TOKENS [--upstream URL] [--dir .] [start options]
      make a site's receiver: a key (receiver.key, mode 600), an operator token (operator-token) and the config file
      ${defaultConfigFile} holding every start option given (the price in base units, from the token's decimals);
      checks the key's ether for gas and prints what to put in the site's pages
  ${name} deploy --rpc-url URL --token ADDRESS --private-key-file FILE [--deployment deployment.json]
                  [--challenge-period ${defaultChallengePeriod}]
      deploy the channel manager for TOKEN through the deterministic deployment proxy (placing the proxy first where
      a local chain lacks it), or find it already there, and write the deployment file
  ${name} address --token ADDRESS [--challenge-period ${defaultChallengePeriod}]
      print the channel manager's address for TOKEN: the same on every chain
  ${name} start --rpc-url URL --private-key-file FILE --deployment FILE (--db FILE | --database-url URL) [options]
      run the receiver: the REST API at ${apiPrefix}, chain watching, auto-challenges
      --db FILE                          keep proofs and the chain cursor in this SQLite file
      --database-url URL                 or in this PostgreSQL database: postgres://user@host:5432/db (the password
                                         from PGPASSWORD, or in the URL, which other users see in ps); receivers
                                         sharing one elect a leader, which alone watches the chain and sends
      --port 3000 --host 127.0.0.1       where to listen
      --confirmations 1                  blocks a channel or top-up needs before it counts
      --operator-token-file FILE         bearer token (>= 16 characters) for the operator endpoints
      --poll-interval 1000               ms between chain polls
      --upstream URL --price BASE_UNITS  serve URL under /proxy/ for PRICE token base units per request
      --cors-origin ORIGIN               a content site whose pages may buy paid fragments (repeatable)
      --paywall-script-file FILE         the widget's paywall.js, served at /micro-raiden/paywall.<hash>.js (402 pages
                                         load it, cached a year) and /micro-raiden/paywall.js (five minutes)
      --service-worker-file FILE         the widget's micro-raiden-sw.js, served at /micro-raiden-sw.js (paid navigation)
      --paid-max-age 300                 seconds a reader's browser may keep a paid page (private cache)
      --auto-pay-max-price BASE_UNITS    the most a page costs: readers' channels pay automatically up to it
      --public-rpc-url URL               an RPC URL readers' browsers may read the chain through (default: --rpc-url
                                         when it is on this machine, else none: readers' wallets are used)
      --chain-name NAME                  the chain's name shown to readers
      --request-timeout 30000            ms a paid request may take (handler or upstream): then 504, nothing charged
      --verifier-threads N               threads checking payment signatures beside the HTTP thread (default: one
                                         per core beyond two, at most 4; 0 on this thread)
      --sponsor-min-deposit BASE_UNITS   open readers' channels for them, paying the gas, for deposits of at least this
      --sponsor-per-sender 3/86400       sponsored opens per sender per that many seconds
      --sponsor-per-client 10/3600       sponsored opens per client IP address per that many seconds
      --x402-facilitator URL             an x402 facilitator settles x402's exact payments (default: the receiver,
                                         paying the gas, when the token has EIP-3009)
      --no-exact                         offer x402 clients no exact payments (only the channel scheme)
  --config FILE                          take any option above from FILE (a JSON object: option name -> value);
                                         start, deploy, withdraw and close-all read ./${defaultConfigFile} when present
  ${name} withdraw --url URL --operator-token-file FILE [--threshold BASE_UNITS]
      withdraw on chain from every open channel owing at least THRESHOLD (default 1)
  ${name} close-all --url URL --operator-token-file FILE
      close every channel that has a payment, at its latest proof
  ${name} haproxy-config --bind HOST:PORT --server HOST:PORT --server HOST:PORT ...
      print an HAProxy configuration for receivers sharing one --database-url: round robin, checked on /readyz
  ${name} --help`;

/** What a site adds to the receiver the CLI runs: its own routes, and the name it prints. */
export type RunCliOptions = {
  name?: string | undefined;
  routes?: ReceiverAppOptions["routes"];
  paywallScript?: string | undefined;
};

/**
 * The receiver's command line, as a function: `micro-raiden-server` calls it with `process.argv.slice(2)`; a site
 * can build its own command with its routes.
 *
 * @example
 * import { runCli } from "@micro-raiden/receiver";
 * await runCli(process.argv.slice(2), { name: "my-site", routes: (app, { paywall }) => app.get("/a", paywall({ price: 1n }), (c) => c.text("a")) });
 */
export async function runCli(argv: string[], cliOptions: RunCliOptions = {}): Promise<void> {
  // A site's own command built on runCli gets the same plain refusal as micro-raiden-server on an older Node.
  assertNodeVersion(process.version);
  const name = cliOptions.name ?? "micro-raiden-server";
  const parsed = parseArgs({ args: argv, allowPositionals: true, options: cliOptionSpecs });
  const { positionals } = parsed;
  const [command] = positionals;
  // Values in order of precedence: the command line, the config file (`init` writes one), the defaults.
  const configPath =
    parsed.values.config ??
    (configCommands.has(command ?? "") && existsSync(defaultConfigFile) ? defaultConfigFile : undefined);
  const fromConfig = configPath ? await readConfigFile(configPath, cliOptionSpecs).catch(failWith) : {};
  const values: typeof parsed.values = { ...cliDefaults, ...fromConfig, ...parsed.values };

  function need(name: keyof typeof values): string {
    const value = values[name];
    if (typeof value !== "string" || value === "") fail(`--${name} is required`);
    return value;
  }
  function uint(name: keyof typeof values): bigint {
    const value = need(name);
    if (!/^[1-9][0-9]*$/.test(value)) fail(`--${name} must be a positive integer (token base units)`);
    return BigInt(value);
  }
  function integer(name: keyof typeof values, min: number): number {
    const value = Number(need(name));
    if (!Number.isSafeInteger(value) || value < min) fail(`--${name} must be an integer of at least ${min}`);
    return value;
  }
  function fail(message: string): never {
    console.error(`${name}: ${message}\n${usage(name)}`);
    process.exit(2);
  }
  function failWith(error: unknown): never {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  function address(name: keyof typeof values): Address {
    const value = need(name);
    if (!isAddress(value, { strict: false })) fail(`--${name} must be a 0x-prefixed 20-byte address`);
    return getAddress(value);
  }
  function storeLocation(): { dbPath: string } | { databaseUrl: string } {
    if (values["database-url"] === undefined) return { dbPath: need("db") };
    if (values.db !== undefined) fail("give --db or --database-url, not both");
    return { databaseUrl: need("database-url") };
  }
  async function operatorToken(): Promise<string | undefined> {
    const path = values["operator-token-file"];
    if (!path) return undefined;
    const token = (await readFile(path, "utf8")).trim();
    if (token.length < 16) fail("the operator token must be at least 16 characters");
    return token;
  }

  if (values.help || !command) {
    console.log(usage(name));
    return;
  }
  function sponsorOptions(): SponsorOptions | undefined {
    const limit = (key: "sponsor-per-sender" | "sponsor-per-client") => {
      const text = values[key];
      if (text === undefined) return undefined;
      return rateLimit(text) ?? fail(`--${key} must be COUNT/SECONDS, e.g. 3/86400`);
    };
    if (values["sponsor-min-deposit"] === undefined) {
      if (values["sponsor-per-sender"] ?? values["sponsor-per-client"])
        fail("sponsored opens need --sponsor-min-deposit");
      return undefined;
    }
    return {
      minDeposit: uint("sponsor-min-deposit"),
      perSender: limit("sponsor-per-sender"),
      perClient: limit("sponsor-per-client"),
    };
  }

  if (command === "init") {
    await initCommand(parsed.values, { print: console.log, fail });
    return;
  }
  if (command === "deploy") {
    const challengePeriod = values["challenge-period"] === undefined ? undefined : integer("challenge-period", 1);
    await deployCommand({
      rpcUrl: need("rpc-url"),
      token: address("token"),
      privateKey: await readPrivateKeyFile(need("private-key-file")),
      challengePeriod,
      out: values.deployment ?? "deployment.json",
      print: console.log,
    });
    return;
  }
  if (command === "address") {
    const challengePeriod = values["challenge-period"] === undefined ? undefined : integer("challenge-period", 1);
    console.log(channelManagerAddress({ token: address("token"), challengePeriod }));
    return;
  }
  if (command === "start") {
    const deployment = parseDeployment(JSON.parse(await readFile(need("deployment"), "utf8")));
    const server = await startServer({
      rpcUrl: need("rpc-url"),
      publicRpcUrl: values["public-rpc-url"],
      chainName: values["chain-name"],
      deployment,
      privateKey: await readPrivateKeyFile(need("private-key-file")),
      ...storeLocation(),
      port: integer("port", 0),
      host: need("host"),
      confirmations: integer("confirmations", 1),
      operatorToken: await operatorToken(),
      pollIntervalMs: integer("poll-interval", 10),
      upstream: values.upstream ? { url: values.upstream, price: uint("price") } : undefined,
      corsOrigins: values["cors-origin"],
      routes: cliOptions.routes,
      paywallScript: cliOptions.paywallScript,
      paywallScriptFile: values["paywall-script-file"],
      serviceWorkerFile: values["service-worker-file"],
      paidMaxAge: integer("paid-max-age", 0),
      autoPayMaxPrice: values["auto-pay-max-price"] === undefined ? undefined : uint("auto-pay-max-price"),
      requestTimeoutMs: integer("request-timeout", 1),
      verifierThreads: values["verifier-threads"] === undefined ? undefined : integer("verifier-threads", 0),
      sponsor: sponsorOptions(),
      exact: values["no-exact"] ? false : { facilitatorUrl: values["x402-facilitator"] },
    }).catch((error: unknown) => {
      // Refusing a manager readers would refuse too is an answer, not a crash: one line, no stack.
      if (!(error instanceof UntrustedManagerError)) throw error;
      console.error(`${name}: ${error.message}`);
      process.exit(1);
    });
    console.log(`receiver ${server.receiver.address} listening on ${server.url} (chain ${deployment.chainId})`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return;
  }
  if (command === "withdraw" || command === "close-all") {
    const token = await operatorToken();
    if (!token) fail("--operator-token-file is required");
    const path = command === "withdraw" ? apiPaths.withdraw : apiPaths.closeAll;
    const body =
      command === "withdraw"
        ? encodeWithdrawRequestBody({ threshold: uint("threshold") })
        : encodeCloseAllRequestBody();
    const url = `${need("url").replace(/\/$/, "")}${apiPrefix}${path}`;
    // Progress goes to stderr: stdout stays the results' JSON, for scripts.
    console.error(
      `${command}: asking the receiver at ${url}; it sends the transactions and waits until they are mined`,
    );
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    // Print only what decodes as the protocol's answer: a proxy's error page or another server is not a result.
    const json: unknown = await response.json().catch(() => undefined);
    try {
      const results = response.ok ? decodeOperatorResults(json) : undefined;
      console.log(JSON.stringify(results ? encodeOperatorResults(results) : decodeErrorBody(json), null, 2));
      if (results) for (const line of await operatorProgress(results, values["rpc-url"])) console.error(line);
    } catch (error) {
      if (!(error instanceof MalformedBodyError)) throw error;
      console.error(
        `${name}: ${response.status} from ${response.url} is not a receiver's answer (${error.shortMessage})`,
      );
      process.exit(1);
    }
    if (!response.ok) process.exit(1);
    return;
  }
  if (command === "haproxy-config") {
    const servers = values.server ?? [];
    if (servers.length === 0) fail("give each receiver with --server HOST:PORT");
    process.stdout.write(haproxyConfig({ bind: need("bind"), servers }));
    return;
  }
  fail(`unknown command ${command}`);
}
