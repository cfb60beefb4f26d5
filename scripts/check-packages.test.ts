// npm run check:packages — the packages as a user gets them. Builds and packs each one, lints it (publint, attw),
// installs the tarballs into a scratch project outside the repo and there runs the README examples against a real
// chain: the machine client pays the receiver started by its CLI and by a Hono app; Vite builds a fresh React app
// around the widget's example, which in Chromium, with a wallet whose channel can pay, shows the price and then the
// paid resource without reloading; Next.js builds and serves the widget README's App Router example server-rendered,
// and in Chromium it hydrates with the price and no hydration error; the widget's script tag, served by that CLI
// receiver from the installed package, shows the paywall on a static page of another origin in Chromium; strict tsc
// under bundler and nodenext resolution type-checks them all. Also proves the repo itself still runs the sources, not
// dist.
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { writeDeployment } from "@micro-raiden/contracts/deploy";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { decodePaymentRequiredBody, decodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
import { type Browser, chromium, type Page } from "playwright";
import { type Hex, parseEther, toHex } from "viem";
import type { HDAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { E2eWallet, localChain } from "../e2e/wallet/E2eWallet.ts";
import { walletInfo } from "../e2e/wallet/walletInitScript.ts";
import { nextAppFiles, writeNextApp } from "./check-packages/nextApp.ts";
import { readmeBlocks } from "./check-packages/readmeBlocks.ts";
import { type RunningProcess, run, start } from "./check-packages/run.ts";
import { type StaticSite, startStaticSite } from "./check-packages/staticSite.ts";
import { userEnvironment } from "./check-packages/userEnvironment.ts";
import { writeViteApp } from "./check-packages/viteApp.ts";
import { chromiumLaunchOptions } from "./chromium.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
const readme = (dir: string) => readFile(join(repo, dir, "README.md"), "utf8");

/** The packages a user installs, and the entry points each one's exports promise. */
const packages = [
  { name: "@micro-raiden/web-client", dir: "web-client", entries: ["", "/protocol", "/node"] },
  { name: "@micro-raiden/receiver", dir: "receiver", entries: [""] },
  { name: "@micro-raiden/widget", dir: "widget", entries: ["", "/navigation"] },
] as const;

/** What a React developer has beside the widget README's install line: a bundler and React's types. */
const appTooling = ["vite", "@vitejs/plugin-react", "@types/react", "@types/react-dom"];

/**
 * What a Next.js developer has instead: Next.js, pinned (the repo does not use it, so the check installs it from the
 * registry), and TypeScript, which `next build` checks the app with (without it, Next would install it itself).
 */
const nextVersion = "16.5.0";
const nextTooling = [`next@${nextVersion}`, "typescript"];

/**
 * The widget's browser files: classic scripts to serve (script tag, Service Worker), found by path through the
 * exports map, never imported as modules, so they have no types for attw to find.
 */
const browserFiles = ["browser/paywall.js", "browser/micro-raiden-sw.js"];

/**
 * tsc's error lines, less those inside wagmi's own declarations: wagmi 3.7's .d.ts files do not check against
 * TanStack Query 5.108 under TypeScript 7 (an InfiniteQuery type given six type arguments where it takes five, and
 * key constraints). Any app with both and skipLibCheck off sees them (create-vite's template turns skipLibCheck on);
 * they are wagmi's to fix, and everything else, ours included, must check clean.
 */
function errorsOutsideWagmi(output: string): string[] {
  return output.split("\n").filter((line) => /\berror TS\d+/.test(line) && !line.startsWith("node_modules/wagmi/"));
}

/** The version this repo tests with, so the scratch install takes what the npm cache already has. */
async function repoVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repo, "node_modules", name, "package.json"), "utf8"));
  return `${name}@${manifest.version}`;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

const privateKey = (account: HDAccount): Hex => toHex(account.getHdKey().privateKey ?? new Uint8Array());
async function writeKey(path: string, account: HDAccount) {
  await writeFile(path, `${privateKey(account)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}

let work: string;
let scratch: string;
const tarballs = new Map<string, string>();

before(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-raiden-packages-"));
  const packed = join(work, "tarballs");
  await mkdir(packed);
  // npm pack runs each package's prepack (its build) first.
  const pack = await run(
    "npm",
    ["pack", ...packages.flatMap((p) => ["--workspace", p.dir]), "--pack-destination", packed],
    { cwd: repo, env: process.env },
  );
  assert.equal(pack.code, 0, `npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  for (const file of await readdir(packed)) {
    const owner = packages.find((p) => file.startsWith(`${p.name.slice(1).replace("/", "-")}-`));
    if (owner) tarballs.set(owner.name, join(packed, file));
  }
  assert.equal(tarballs.size, packages.length, `tarballs: ${[...tarballs.values()].join(", ")}`);

  scratch = join(work, "app");
  await mkdir(scratch);
  await writeFile(join(scratch, "package.json"), `${JSON.stringify({ name: "app", private: true, type: "module" })}\n`);
  // Exactly what the READMEs' install lines name: our packages from their tarballs, the rest from the registry.
  const names = new Set<string>(["@types/node", ...appTooling, ...nextTooling]);
  for (const p of packages) {
    const [install] = readmeBlocks(await readme(p.dir), "sh");
    assert.match(install ?? "", /^npm install /, `${p.dir}/README.md starts with its install line`);
    for (const name of (install ?? "").trim().split(/\s+/).slice(2)) names.add(name);
  }
  const pinned = (name: string) => name.lastIndexOf("@") > 0;
  const specs = await Promise.all(
    [...names].map((name) => tarballs.get(name) ?? (pinned(name) ? name : repoVersion(name))),
  );
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], {
    cwd: scratch,
    env: userEnvironment(),
  });
  assert.equal(install.code, 0, `npm install in the scratch project failed:\n${install.stdout}\n${install.stderr}`);
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the repo runs its TypeScript sources, never dist", () => {
  // dist exists now (the packs built it), so a repo that lost the source condition would silently run stale builds.
  const specifiers = packages.flatMap((p) => p.entries.map((entry) => `${p.name}${entry}`));

  it("resolves every entry point to src in this process and in the node processes tests spawn", async () => {
    for (const specifier of specifiers) {
      assert.match(import.meta.resolve(specifier), /\/src\/[\w/]+\.ts$/, `${specifier} in this process`);
    }
    const child = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `for (const s of ${JSON.stringify(specifiers)}) console.log(import.meta.resolve(s))`,
      ],
      { cwd: join(repo, "demo-server"), env: process.env },
    );
    assert.equal(child.code, 0, child.stderr);
    const resolved = child.stdout.trim().split("\n");
    assert.equal(resolved.length, specifiers.length);
    for (const url of resolved) assert.match(url, /\/src\/[\w/]+\.ts$/, "in a spawned node process");
  });

  it("type-checks the workspaces against the sources", async () => {
    for (const workspace of ["receiver", "widget"]) {
      const listed = await run(process.execPath, [tsc, "-p", workspace, "--listFilesOnly"], {
        cwd: repo,
        env: process.env,
      });
      assert.match(listed.stdout, /web-client\/src\/protocol\/index\.ts/, workspace);
      assert.doesNotMatch(listed.stdout, /\/(web-client|receiver|widget)\/dist\//, workspace);
    }
  });
});

describe("lint", () => {
  for (const p of packages) {
    it(`${p.name}: publint --strict finds nothing`, async () => {
      const result = await run("npx", ["publint", "run", tarballs.get(p.name) ?? "", "--strict"], {
        cwd: repo,
        env: process.env,
      });
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });
    it(`${p.name}: attw finds no type resolution problem (ESM-only profile)`, async () => {
      const args = ["attw", tarballs.get(p.name) ?? "", "--profile", "esm-only", "--format", "ascii"];
      if (p.dir === "widget") args.push("--exclude-entrypoints", ...browserFiles);
      const result = await run("npx", args, { cwd: repo, env: process.env });
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });
  }
});

describe("installed from the tarballs, outside the repo", () => {
  let chain: TestChain;
  let upstream: Server;
  let upstreamUrl: string;
  let site: StaticSite;
  let mining: NodeJS.Timeout;
  let cliReceiver: Promise<string> | undefined;
  /** Where `next start` serves the Next.js app: chosen first, so the CLI's receiver lets its pages pay (CORS). */
  let nextOrigin: string;
  let nextFiles: Map<string, string>;
  const running: RunningProcess[] = [];
  const machineClient = () => join(scratch, "machine-client.ts");
  /** What the CLI's receiver asks per request: 0.001 TKN, so the paywall's sentence is one a reader would read. */
  const cliPrice = parseEther("0.001");

  before(async () => {
    const [clientReadme, receiverReadme, widgetReadme] = await Promise.all(
      ["web-client", "receiver", "widget"].map(readme),
    );
    const [machine, browser] = readmeBlocks(clientReadme ?? "", "ts");
    const [hono] = readmeBlocks(receiverReadme ?? "", "ts");
    const [reactApp] = readmeBlocks(widgetReadme ?? "", "tsx");
    assert.ok(machine && browser && hono && reactApp, "the READMEs' examples");
    await writeFile(machineClient(), machine);
    await writeFile(join(scratch, "browser-client.ts"), browser);
    await writeFile(join(scratch, "hono-app.ts"), hono);
    await writeViteApp(join(scratch, "react-app"), reactApp);
    nextFiles = nextAppFiles(readmeBlocks(widgetReadme ?? "", "tsx"));
    assert.ok(nextFiles.has("app/page.tsx"), "the widget README's Next.js page (a block starting // app/page.tsx)");
    assert.ok(
      [...nextFiles.values()].some((file) => /^\/\/ .*\n"use client";/.test(file)),
      "the widget README's Next.js example has its client component",
    );
    await writeNextApp(join(scratch, "next-app"), nextFiles);
    nextOrigin = `http://127.0.0.1:${await freePort()}`;

    chain = await startTestChain();
    assert.equal(chain.deployment.chainId, hardhat.id, "the check's chain is the local chain the widget knows");
    // Some blocks on top, so confirmations never wait on a quiet chain.
    mining = setInterval(() => void chain.testClient.mine({ blocks: 1 }).catch(() => {}), 500);
    upstream = createServer((request, response) => response.end(`upstream page ${request.url}`));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const address = upstream.address();
    assert.ok(address && typeof address === "object");
    upstreamUrl = `http://127.0.0.1:${address.port}`;
    site = await startStaticSite();
  });

  after(async () => {
    clearInterval(mining);
    await Promise.all(running.map((process) => process.stop()));
    if (upstream) await new Promise((resolve) => upstream.close(resolve));
    await site?.close();
    await chain?.close();
  });

  /** A folder with the receiver's key and the deployment file, as the README's commands expect them. */
  async function receiverFolder(name: string, account: HDAccount): Promise<string> {
    const dir = join(scratch, name);
    await mkdir(dir);
    await writeKey(join(dir, "receiver.key"), account);
    await writeDeployment(join(dir, "deployment.json"), chain.deployment);
    return dir;
  }

  /** Where the installed widget's `exports` put one of its browser files, resolved as the user's Node does. */
  async function installedWidgetFile(file: string): Promise<string> {
    const resolved = await run(
      process.execPath,
      ["--input-type=module", "-e", `console.log(import.meta.resolve("@micro-raiden/widget/${file}"))`],
      { cwd: scratch, env: userEnvironment() },
    );
    assert.equal(resolved.code, 0, resolved.stderr);
    const path = fileURLToPath(resolved.stdout.trim());
    assert.ok(path.startsWith(join(scratch, "node_modules")), `${file} comes from the installed package: ${path}`);
    return path;
  }

  /**
   * The receiver `npx micro-raiden-server start` runs from the installed package, proxying the upstream under
   * /proxy/ at `cliPrice`, serving the installed widget's script tag and Service Worker and letting the static site
   * buy fragments. Started once, for the tests that need it; resolves with its URL.
   */
  /** The installed CLI receiver's operator token (the dashboard's sign-in). */
  const cliOperatorToken = "check-packages-operator-token-0123456789";

  function startCliReceiver(): Promise<string> {
    cliReceiver ??= (async () => {
      const [, receiver] = chain.accounts;
      assert.ok(receiver);
      const dir = await receiverFolder("cli", receiver);
      await writeFile(join(dir, "operator.token"), cliOperatorToken, { mode: 0o600 });
      const args = ["start", "--rpc-url", chain.rpcUrl, "--private-key-file", "receiver.key"];
      args.push("--operator-token-file", "operator.token");
      args.push("--deployment", "deployment.json", "--db", "receiver.db", "--port", "0", "--poll-interval", "100");
      args.push("--upstream", upstreamUrl, "--price", String(cliPrice));
      args.push("--cors-origin", site.origin, "--cors-origin", nextOrigin);
      args.push("--paywall-script-file", await installedWidgetFile("browser/paywall.js"));
      args.push("--service-worker-file", await installedWidgetFile("browser/micro-raiden-sw.js"));
      const { process: server, match } = await start("npx", ["--no", "--", "micro-raiden-server", ...args], {
        cwd: dir,
        env: userEnvironment(),
        ready: /listening on (http:\/\/\S+)/,
      });
      running.push(server);
      assert.ok(match[1]);
      return match[1];
    })();
    return cliReceiver;
  }

  /** Runs the web-client README's machine client for `url` as a sender holding tokens, in its own folder. */
  async function payWithMachineClient(name: string, sender: HDAccount, url: string) {
    const dir = join(scratch, name);
    await mkdir(dir);
    await writeKey(join(dir, "sender.key"), sender);
    await chain.mint(sender.address, parseEther("10"));
    return run(process.execPath, [machineClient()], {
      cwd: dir,
      env: userEnvironment({ RPC_URL: chain.rpcUrl, PAID_URL: url }),
    });
  }

  /**
   * A reader's browser: English, patient (reading the token's symbol and decimals from the chain takes a while on a
   * busy machine), and with the check's chain where the README examples' provider reads. Their
   * `<MicroRaidenProvider>` has no `chains`, so it reads the local Hardhat chain at viem's default RPC URL
   * (127.0.0.1:8545, where a developer's local node listens); the check's chain runs on a free port, and the browser's
   * requests to 8545 are answered by it. With `account`: a MetaMask-like wallet holding it (the e2e journeys'),
   * connected to no site yet.
   */
  async function readerContext(browser: Browser, account?: HDAccount) {
    const context = await browser.newContext({ locale: "en-US" });
    context.setDefaultTimeout(60_000);
    const localRpc = new URL(hardhat.rpcUrls.default.http[0]).origin;
    await context.route(
      (url) => url.origin === localRpc,
      async (route) => {
        const response = await route.fetch({ url: chain.rpcUrl });
        await route.fulfill({ response, headers: { ...response.headers(), "access-control-allow-origin": "*" } });
      },
    );
    const chains = [localChain(chain.deployment.chainId, chain.rpcUrl)];
    const wallet = account ? new E2eWallet({ account, chains }) : undefined;
    await wallet?.install(context);
    return { context, wallet };
  }

  /** An unpaid request gets the 402 with the price in the protocol's JSON body and headers. */
  async function assertPaymentRequired(url: string, price: bigint) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    assert.equal(response.status, 402);
    assert.equal(decodePaymentRequiredBody(await response.json()).price, price);
    assert.equal(decodePaymentResponseHeaders(response.headers).requirements.price, price);
  }

  it("micro-raiden-server --help lists its commands and options", async () => {
    const help = await run("npx", ["--no", "--", "micro-raiden-server", "--help"], {
      cwd: scratch,
      env: userEnvironment(),
    });
    assert.equal(help.code, 0, help.stderr);
    for (const word of [
      "init",
      "deploy",
      "start",
      "withdraw",
      "close-all",
      "--rpc-url",
      "--private-key-file",
      "--deployment",
      "--db",
    ]) {
      assert.ok(help.stdout.includes(word), `--help mentions ${word}:\n${help.stdout}`);
    }
    for (const word of ["--port", "--confirmations", "--operator-token-file", "--upstream", "--price"]) {
      assert.ok(help.stdout.includes(word), `--help mentions ${word}`);
    }
  });

  it("the installed micro-raiden-server inits an empty folder and deploys the manager at the receiver README's address, once", async () => {
    const dir = join(scratch, "site-owner");
    await mkdir(dir);
    const cli = (...args: string[]) =>
      run("npx", ["--no", "--", "micro-raiden-server", ...args], { cwd: dir, env: userEnvironment() });
    const init = await cli("init", "--rpc-url", chain.rpcUrl, "--token", chain.deployment.token, "--price", "0.001");
    assert.notEqual(init.code, 0, "init needs --upstream");
    const made = await cli(
      ...["init", "--rpc-url", chain.rpcUrl, "--token", chain.deployment.token, "--price", "0.001"],
      ...["--upstream", upstreamUrl],
    );
    assert.equal(made.code, 0, made.stdout + made.stderr);
    const config = JSON.parse(await readFile(join(dir, "micro-raiden.json"), "utf8"));
    assert.equal(config.price, parseEther("0.001").toString(), "0.001 of an 18-decimal token");
    const receiver = /The receiver (0x[0-9a-fA-F]{40})/.exec(made.stdout)?.[1];
    assert.ok(receiver, made.stdout);
    await chain.testClient.setBalance({ address: receiver as Hex, value: parseEther("1") });
    const listed =
      /^\| local chain \(31337\): the demo token \| `(0x[0-9a-fA-F]{40})` \| `(0x[0-9a-fA-F]{40})` \|$/m.exec(
        await readme("receiver"),
      );
    assert.equal(listed?.[1], chain.deployment.token, "the README's local demo token");
    const deployed = await cli("deploy");
    assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
    assert.match(deployed.stdout, /gas used \d+/);
    const deployment = JSON.parse(await readFile(join(dir, "deployment.json"), "utf8"));
    assert.equal(deployment.channelManager, listed?.[2], "the README's address for the local demo token");
    const again = await cli("deploy");
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to deploy/);
  });

  it("the CLI's receiver answers 402, then 200 to the web-client README's machine client", async () => {
    const [, , sender] = chain.accounts;
    assert.ok(sender);
    const url = `${await startCliReceiver()}/proxy/hello`;
    await assertPaymentRequired(url, cliPrice);
    const paid = await payWithMachineClient("cli-sender", sender, url);
    assert.equal(paid.code, 0, paid.stdout + paid.stderr);
    assert.equal(paid.stdout.trim(), `200 paid ${cliPrice}: upstream page /hello`);

    // The installed package's operator dashboard: its page and script, and its data only with the operator token,
    // showing the payment just made.
    const origin = new URL(url).origin;
    const page = await fetch(`${origin}/micro-raiden/operator`);
    assert.equal(page.status, 200);
    const script = /<script src="([^"]+)"/.exec(await page.text())?.[1];
    assert.ok(script, "the page loads its script");
    const scriptResponse = await fetch(new URL(script, origin));
    assert.equal(scriptResponse.status, 200);
    assert.match(await scriptResponse.text(), /sessionStorage/);
    assert.equal((await fetch(`${origin}/api/1/dashboard`)).status, 401, "no data without the operator token");
    const dashboard = await fetch(`${origin}/api/1/dashboard`, {
      headers: { authorization: `Bearer ${cliOperatorToken}` },
    });
    assert.equal(dashboard.status, 200);
    const { earnings } = await dashboard.json();
    assert.deepEqual(earnings.top_resources, [{ resource: "/proxy/hello", amount: String(cliPrice), payments: 1 }]);
  });

  it("the receiver README's Hono app answers 402, then 200 to the machine client", async () => {
    const [, , , receiver, sender] = chain.accounts;
    assert.ok(receiver && sender);
    const dir = await receiverFolder("hono", receiver);
    const { process: server, match } = await start(process.execPath, [join(scratch, "hono-app.ts")], {
      cwd: dir,
      env: userEnvironment({ RPC_URL: chain.rpcUrl, PORT: "0" }),
      ready: /listening on (\d+)/,
    });
    running.push(server);
    const url = `http://127.0.0.1:${match[1]}/reports/1`;
    await assertPaymentRequired(url, 10n ** 15n);
    const paid = await payWithMachineClient("hono-sender", sender, url);
    assert.equal(paid.code, 0, paid.stdout + paid.stderr);
    assert.equal(paid.stdout.trim(), `200 paid ${10n ** 15n}: the paid report`);
  });

  it("Vite builds a fresh React app around the widget README's example, the widget inside", async () => {
    // The README's relative URL needs the app on the receiver's origin. The check serves the app from the static site,
    // another origin, so it does what the README says for that case: the absolute URL (the receiver has the site's
    // --cors-origin).
    const [reactApp = ""] = readmeBlocks(await readme("widget"), "tsx");
    const relative = `const url = "/articles/1";`;
    assert.ok(reactApp.includes(relative), `the widget README's React app says ${relative}`);
    const absolute = `const url = ${JSON.stringify(`${await startCliReceiver()}/proxy/react-article`)};`;
    await writeFile(join(scratch, "react-app", "src", "main.tsx"), reactApp.replace(relative, absolute));
    const build = await run("npx", ["--no", "--", "vite", "build", "react-app", "--logLevel", "warn"], {
      cwd: scratch,
      env: userEnvironment(),
    });
    assert.equal(build.code, 0, build.stdout + build.stderr);
    const dist = join(scratch, "react-app", "dist");
    assert.match(
      await readFile(join(dist, "index.html"), "utf8"),
      /<script type="module"[^>]*src="\/assets\/[\w-]+\.js"/,
    );
    const scripts = (await readdir(join(dist, "assets"))).filter((file) => file.endsWith(".js"));
    const code = (await Promise.all(scripts.map((file) => readFile(join(dist, "assets", file), "utf8")))).join("\n");
    // The paywall's own sentence and the protocol's header name: the widget and the web-client were bundled.
    assert.ok(code.includes("This page costs "), "the app's bundle holds the paywall");
    assert.ok(code.includes("RDN-Price"), "the app's bundle holds the web-client's protocol");
  });

  it("the widget README's React app, in Chromium with a wallet whose channel can pay, shows the price, then the paid resource, loaded once", async () => {
    const receiverUrl = await startCliReceiver();
    const reader = chain.accounts[5];
    assert.ok(reader);
    // The reader already has a channel to this receiver (the machine client opened it with the same key, and paid
    // once from it): after connecting, the paywall finds it on chain. This browser does not hold the channel's
    // session key, so it offers its own key for one signature (a SignerDelegation, no transaction), then calls
    // onChannelReady.
    const opened = await payWithMachineClient("react-reader", reader, `${receiverUrl}/proxy/react-first`);
    assert.equal(opened.code, 0, opened.stdout + opened.stderr);
    const appUrl = site.directory(join(scratch, "react-app", "dist"));

    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const { context, wallet } = await readerContext(browser, reader);
      assert.ok(wallet);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      // Every document the tab loads: the app's first, and each reload after it.
      let loads = 0;
      let reloaded = () => {};
      const reload = new Promise<void>((resolve) => (reloaded = resolve));
      page.on("request", (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame() && ++loads > 1) reloaded();
      });

      await page.goto(appUrl);
      await page.getByText("This page costs 0.001 TKN.").waitFor();
      await page.getByRole("button", { name: `Connect ${walletInfo.name}` }).click();
      await page.getByRole("button", { name: "Pay automatically here too (one signature, no fee)" }).click();
      const paid = page.locator("article").getByText("upstream page /react-article");
      await Promise.race([paid.waitFor(), reload]);
      assert.equal(loads, 1, "the app shows the paid resource without reloading");
      // A reload loop would go on from here: some seconds later the tab still has loaded once, and shows the resource.
      await page.waitForTimeout(3_000);
      assert.equal(loads, 1, "the app loaded once");
      assert.ok(await paid.isVisible(), "the paid resource stays");
      assert.equal(wallet.prompts.eth_requestAccounts, 1, "the reader connected once");
      assert.equal(wallet.prompts.eth_signTypedData_v4, 1, "one signature, the delegation: the key paid the resource");
      assert.deepEqual(errors, [], "no script error on the page");
    } finally {
      await browser.close();
    }
  });

  it(`Next.js ${nextVersion} builds the widget README's App Router example and serves its paywall server-rendered; in Chromium it hydrates with the price and no hydration error`, async (t) => {
    const receiverUrl = await startCliReceiver();
    const dir = join(scratch, "next-app");
    const page = nextFiles.get("app/page.tsx") ?? "";
    assert.ok(page.includes("https://receiver.example/articles/1"), "the README's page names the receiver's URL");
    await writeFile(
      join(dir, "app", "page.tsx"),
      page.replaceAll("https://receiver.example/articles/1", `${receiverUrl}/proxy/next-article`),
    );
    // Next.js sends usage data unless told not to: a user may leave it on, a check outside the network does not.
    const env = userEnvironment({ NEXT_TELEMETRY_DISABLED: "1" });
    const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

    const building = performance.now();
    const build = await run("npx", ["--no", "--", "next", "build", "next-app"], { cwd: scratch, env });
    assert.equal(build.code, 0, build.stdout + build.stderr);
    t.diagnostic(`next build: ${seconds(building)} s`);
    const starting = performance.now();
    const { port } = new URL(nextOrigin);
    const { process: server } = await start(
      "npx",
      ["--no", "--", "next", "start", "next-app", "--port", port, "--hostname", "127.0.0.1"],
      { cwd: scratch, env, ready: /Ready in/ },
    );
    running.push(server);
    t.diagnostic(`next start: ready in ${seconds(starting)} s`);

    // Rendered on the server: the page's HTML already holds the paywall (its price is read in the browser).
    const rendering = performance.now();
    const html = await (await fetch(nextOrigin)).text();
    t.diagnostic(`first server render: ${seconds(rendering)} s`);
    assert.match(html, /<section class="mr-panel"/, "the server's HTML holds the paywall");
    assert.ok(html.includes("Reading the price from the token…"), "the server rendered the paywall's heading");

    const browser = await chromium.launch(chromiumLaunchOptions);
    /** Script errors and console errors (a failed hydration is both): the page's, as they come. */
    const errorsOf = (tab: Page) => {
      const errors: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      tab.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      return errors;
    };
    try {
      const reader = chain.accounts[6];
      assert.ok(reader);
      const { context, wallet } = await readerContext(browser, reader);
      assert.ok(wallet);
      const tab = await context.newPage();
      const errors = errorsOf(tab);
      const loading = performance.now();
      await tab.goto(nextOrigin);
      await tab.getByText("This page costs 0.001 TKN.").waitFor();
      t.diagnostic(`the price in the browser: ${seconds(loading)} s after the page was asked for`);
      // Hydrated: the server's HTML became the live paywall, whose connect button connects the wallet.
      const connect = tab.getByRole("button", { name: `Connect ${walletInfo.name}` });
      await connect.click();
      await connect.waitFor({ state: "detached" });
      assert.equal(wallet.prompts.eth_requestAccounts, 1, "the connect button asked the wallet");
      assert.deepEqual(errors, [], "no hydration error, nor any other, in the console");

      // A reader with no wallet at all: the same server HTML hydrates, then the paywall says what to install.
      const { context: walletless } = await readerContext(browser);
      const bare = await walletless.newPage();
      const bareErrors = errorsOf(bare);
      await bare.goto(nextOrigin);
      await bare.getByText("This page costs 0.001 TKN.").waitFor();
      await bare.getByText("No Ethereum wallet found in this browser.").waitFor();
      assert.deepEqual(bareErrors, [], "without a wallet: no hydration error, nor any other, in the console");
    } finally {
      await browser.close();
    }
  });

  it("the widget README's script tag, on a static page of another origin, shows the paywall with the price in tokens", async () => {
    const receiverUrl = await startCliReceiver();
    const [tag = ""] = readmeBlocks(await readme("widget"), "html");
    assert.ok(tag.includes("https://receiver.example/"), "the widget README's script tag");
    const paidUrl = `${receiverUrl}/proxy/article`;
    const body = tag
      .replaceAll("https://receiver.example/articles/1", paidUrl)
      .replaceAll("https://receiver.example", receiverUrl);
    // The check's chain is on a free port, not the local chain's usual 8545: the site tells the tag where it is.
    const chainConfig = {
      id: chain.deployment.chainId,
      name: "Local test chain",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [chain.rpcUrl] } },
    };
    const config = `window.microRaidenConfig = ${JSON.stringify({ chains: [chainConfig] })};`;
    const pageUrl = site.page(
      "/posts/1",
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title><script>${config}</script>
</head><body><h1>A post</h1>${body}</body></html>`,
    );
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const context = await browser.newContext({ locale: "en-US" });
      // Reading the token's symbol and decimals from the chain takes a while on a busy machine.
      context.setDefaultTimeout(60_000);
      const errors: string[] = [];
      const page = await context.newPage();
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(pageUrl);
      const fragment = page.locator("[data-micro-raiden-src]");
      await fragment.getByText("This page costs 0.001 TKN.").waitFor();
      assert.equal(await fragment.evaluate((element) => element.shadowRoot?.mode), "open");
      assert.deepEqual(errors, [], "no script error on the page");

      // The receiver's own 402 page loads the same installed file from /micro-raiden/paywall.js.
      await context.addInitScript({ content: config });
      const paywallPage = await context.newPage();
      const response = await paywallPage.goto(paidUrl);
      assert.equal(response?.status(), 402);
      await paywallPage.locator("#micro-raiden-paywall").getByText("This page costs 0.001 TKN.").waitFor();
    } finally {
      await browser.close();
    }
  });

  // Both resolutions at once: each tsc run checks the whole of viem's and wagmi's declarations too (no skipLibCheck,
  // so ours are checked as a user's project would see them).
  describe("strict consumers", { concurrency: true }, () => {
    for (const resolution of ["bundler", "nodenext"] as const) {
      it(`strict tsc type-checks the README examples with moduleResolution ${resolution}`, async () => {
        const config = {
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: "es2022",
            lib: ["es2023", "dom", "dom.iterable"],
            types: ["node"],
            jsx: "react-jsx",
            module: resolution === "bundler" ? "preserve" : "nodenext",
            moduleResolution: resolution,
          },
          files: [
            "machine-client.ts",
            "browser-client.ts",
            "hono-app.ts",
            "react-app/src/main.tsx",
            // Next.js apps import extensionless modules, as bundlers resolve them.
            ...(resolution === "bundler" ? [...nextFiles.keys()].map((file) => `next-app/${file}`) : []),
          ],
        };
        const file = `tsconfig.${resolution}.json`;
        await writeFile(join(scratch, file), JSON.stringify(config, null, 2));
        const result = await run(process.execPath, [tsc, "-p", file], { cwd: scratch, env: userEnvironment() });
        const output = result.stdout + result.stderr;
        assert.ok(result.code === 0 || /error TS/.test(output), output);
        assert.deepEqual(errorsOutsideWagmi(output), [], output);
      });
    }
  });
});
