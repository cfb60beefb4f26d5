// Set-up for the script tag's Playwright tests: the tag and the payment Service Worker built fresh from the sources,
// a real local chain with USDC's own token (what a real site's readers pay with), the real receiver serving the demo site plus a hostile paid fragment (its CORS listing the
// content site), a plain static content site on another origin, and Chromium with the shared MetaMask-like wallet
// injected before page scripts.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TokenKind } from "@micro-raiden/contracts/deploy";
import { startTestChain } from "@micro-raiden/contracts/testing";
import { demoPrice, demoRoutes } from "@micro-raiden/demo-server";
import { type SponsorOptions, startServer } from "@micro-raiden/receiver";
import { chromium, type Page } from "playwright";
import { type Hex, parseEther, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { build, defaultClientConditions, type Rolldown } from "vite";
import { chromiumLaunchOptions } from "../../../scripts/chromium.ts";
import type { MicroRaidenConfig } from "./paywall.ts";
import { type TestWalletConfig, testChain } from "./testWalletScript.test-helper.ts";

const repository = fileURLToPath(new URL("../../../", import.meta.url));

/** What the hostile fragment costs, in the token's base units (0.001 of the token, as the demo's cheapest article). */
export const fragmentPrice = (decimals: number): bigint => demoPrice("0.001", decimals);

/** A paid fragment that tries every way we know to run script in the page that shows it. */
export const hostileFragment = `<article>
  <h2>The paid part</h2>
  <p id="paid-text">Worth every token.</p>
  <script>window.pwned = (window.pwned || []).concat("script")</script>
  <img src="x" onerror="window.pwned = (window.pwned || []).concat('onerror')" alt="">
  <a id="js-link" href="javascript:window.pwned = (window.pwned || []).concat('link')">read more</a>
  <svg onload="window.pwned = (window.pwned || []).concat('svg')"></svg>
  <iframe srcdoc="<script>parent.pwned = ['iframe']</script>"></iframe>
  <div onmouseover="window.pwned = (window.pwned || []).concat('hover')">hover</div>
</article>`;

/** Builds one browser entry in memory and returns its code. */
async function buildScript(entry: string, mode?: string): Promise<string> {
  const result = await build({
    logLevel: "silent",
    ...(mode
      ? { configFile: `${repository}vite.config.ts`, mode }
      : {
          configFile: false,
          resolve: { conditions: ["@micro-raiden/source", ...defaultClientConditions] },
          define: { "process.env.NODE_ENV": JSON.stringify("production") },
        }),
    build: {
      write: false,
      sourcemap: false,
      ...(mode ? {} : { lib: { entry, formats: ["iife"], name: "testWallet", fileName: () => "wallet.js" } }),
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((output) => output.output).find((file) => file.type === "chunk");
  if (chunk?.type !== "chunk") throw new Error(`Building ${entry} produced no script.`);
  return chunk.code;
}

export type TagTestSite = Awaited<ReturnType<typeof startTagTestSite>>;

/**
 * The token is USDC's own (Circle's FiatToken V2.2 behind its proxy) unless `tokenKind: "demo"` asks for the demo
 * token; `sponsor` makes the receiver offer sponsored opens; `routes` adds paid routes to the demo's.
 */
export async function startTagTestSite(
  options: {
    tokenKind?: TokenKind;
    sponsor?: SponsorOptions;
    routes?: Parameters<typeof startServer>[0]["routes"];
  } = {},
) {
  const directory = await mkdtemp(join(tmpdir(), "micro-raiden-tag-"));
  const paywallScriptFile = join(directory, "paywall.js");
  const serviceWorkerFile = join(directory, "micro-raiden-sw.js");
  const [, worker, walletScript, chain] = await Promise.all([
    // The tag's first script and the widget chunks it imports, as the receiver serves them from beside it.
    build({
      configFile: `${repository}vite.config.ts`,
      mode: "paywall",
      logLevel: "silent",
      build: { outDir: directory, sourcemap: false },
    }),
    buildScript(`${repository}widget/src/serviceWorker/worker.ts`, "sw"),
    buildScript(`${repository}widget/src/tag/testWalletScript.test-helper.ts`),
    // Not Hardhat's 31337 and not on 8545: a chain the widget knows nothing of, as a real site's would be.
    startTestChain({ chainId: 1337, tokenKind: options.tokenKind ?? "usdc" }),
  ]);
  await writeFile(serviceWorkerFile, worker);

  // The content site: static pages on its own origin, registered by the tests.
  const pages = new Map<string, string>();
  const site = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? "/", "http://site").pathname);
    response.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    response.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  // "localhost" and the receiver's "127.0.0.1" are different origins even before the ports differ.
  const siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;

  const receiverKey = chain.accounts[1]?.getHdKey().privateKey;
  if (!receiverKey) throw new Error("The test chain has no second account.");
  const server = await startServer({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiverKey),
    dbPath: join(directory, "receiver.db"),
    confirmations: 1,
    pollIntervalMs: 100,
    port: 0,
    paywallScriptFile,
    serviceWorkerFile,
    corsOrigins: [siteOrigin],
    log: () => {},
    ...(options.sponsor ? { sponsor: options.sponsor } : {}),
    routes: (app, context) => {
      demoRoutes(app, context);
      app.get("/fragments/hostile", context.paywall({ price: fragmentPrice(context.receiver.token.decimals) }), (c) =>
        c.html(hostileFragment),
      );
      options.routes?.(app, context);
    },
  });

  const browser = await chromium.launch(chromiumLaunchOptions);

  /**
   * A reader with ETH (10 unless `eth` says otherwise) and 10 of the token, and a fresh browser context whose pages
   * have the reader's wallet.
   */
  async function newReader(
    reader: { eth?: bigint } = {},
  ): Promise<{ page: Page; address: Hex; close(): Promise<void> }> {
    const privateKey = generatePrivateKey();
    const { address } = privateKeyToAccount(privateKey);
    await chain.testClient.setBalance({ address, value: reader.eth ?? parseEther("10") });
    await chain.mint(address, parseUnits("10", server.receiver.token.decimals));
    const context = await browser.newContext();
    // Opening a channel waits for blocks and the receiver's watcher; on a busy machine that takes a while.
    context.setDefaultTimeout(90_000);
    const config: TestWalletConfig = { privateKey, chainId: chain.deployment.chainId, rpcUrl: chain.rpcUrl };
    // The content site tells its tag where the chain is (a paid fragment's 402 carries no page to say it); the
    // receiver's own pages need nothing: they say it themselves (data-rpc-url).
    const tagConfig: MicroRaidenConfig = { chains: [testChain(chain.deployment.chainId, chain.rpcUrl)] };
    await context.addInitScript({
      content: `window.testWalletConfig = ${JSON.stringify(config)};
if (location.origin === ${JSON.stringify(siteOrigin)}) window.microRaidenConfig = ${JSON.stringify(tagConfig)};
${walletScript}`,
    });
    const page = await context.newPage();
    return { page, address, close: () => context.close() };
  }

  return {
    chain,
    receiver: server.receiver,
    receiverUrl: server.url,
    siteOrigin,
    /** Serves `html` at `path` on the content site and returns its URL. */
    sitePage(path: string, html: string): string {
      pages.set(path, html);
      return `${siteOrigin}${path}`;
    },
    newReader,
    async close() {
      await browser.close();
      await server.close();
      await new Promise((resolve) => site.close(resolve));
      await chain.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
