// The world of the paid-navigation tests: a real chain with USDC's own token (what a real site's readers pay with),
// the real receiver (spawned in this process, on a free
// port) serving a small site of paid articles, the Service Worker built from its sources with the repo's Vite
// config, the test page script, real Chromium, and readers with channels opened on chain.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { type ReceiverAppOptions, type RunningServer, startServer } from "@micro-raiden/receiver";
import {
  type AutoPayLimit,
  createChannelClient,
  memoryStorage,
  openChannel,
  type StoredChannel,
  serializeChannel,
} from "@micro-raiden/web-client";
import { encodePaymentResponseHeaders, type PaymentRequirements } from "@micro-raiden/web-client/protocol";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright";
import { http, parseEther, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { build, defaultClientConditions } from "vite";
import { chromiumLaunchOptions } from "../../../scripts/chromium.ts";
import type { NavigationTestOptions } from "./navigationTestPage.test-helper.ts";

const widget = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Every article costs this (0.001 USDC, 6 decimals); `/pricey` costs more than any test channel holds. */
export const articlePrice = parseUnits("0.001", 6);
export const deposit = parseUnits("0.02", 6);

/**
 * The test site: paid articles (each a full document with an inline script and a link to the next), a page
 * costing more than a channel holds, and a free index page that loads the test script.
 */
/** A request as the receiver got it (what reached the server, not what a cache answered) and its answer's status. */
export type ReceivedRequest = {
  path: string;
  /** The navigation preload header's value, when it is the browser's preload. */
  preload: string | undefined;
  /** Whether it carried a payment, and whether that payment said which price it paid (RDN-Price). */
  paid: boolean;
  first: boolean;
  status: number;
};
const receivedListeners = new Set<(request: ReceivedRequest) => void>();

const siteRoutes: NonNullable<ReceiverAppOptions["routes"]> = (app, context) => {
  app.use("*", async (c, next) => {
    await next();
    const received: ReceivedRequest = {
      path: c.req.path,
      preload: c.req.header("service-worker-navigation-preload"),
      paid: c.req.header("rdn-balance-signature") !== undefined,
      first: c.req.header("rdn-price") !== undefined,
      status: c.res.status,
    };
    for (const listener of receivedListeners) listener(received);
  });
  const script = context.paywallScript ? `<script src="${context.paywallScript}" async></script>` : "";
  app.get("/", (c) => c.html(`<!doctype html><title>Index</title><h1 id="index">Index</h1>${script}`));
  app.get("/articles/:id", context.paywall({ price: articlePrice, teaser: () => "<p>Teaser</p>" }), (c) => {
    const id = Number(c.req.param("id"));
    return c.html(`<!doctype html><html><head><title>Article ${id}</title></head><body>
<main id="paid-content" data-article="${id}"><h1>Article ${id}</h1><a id="next" href="/articles/${id + 1}">Next</a></main>
<script>document.body.dataset.scriptRan = "yes";</script></body></html>`);
  });
  // A form posted to a paid page (the body must reach it on the paid request), and a free short link redirecting to
  // a paid article.
  app.post("/comment", context.paywall({ price: articlePrice }), async (c) => {
    const text = String((await c.req.parseBody()).text ?? "");
    return c.html(`<!doctype html><main id="paid-content" data-article="comment"><p id="posted">${text}</p></main>`);
  });
  app.get("/go/:id", (c) => c.redirect(`/articles/${c.req.param("id")}`, 302));
  app.get("/pricey", context.paywall({ price: deposit * 2n }), (c) => c.html("<main id=paid-content>pricey</main>"));
  // Priced above what a test channel pays automatically: a page at twice an article's price, an image at ten times.
  app.get("/dear/:id", context.paywall({ price: 2n * articlePrice }), (c) =>
    c.html("<main id=paid-content>dear</main>"),
  );
  app.get("/images/:id", context.paywall({ price: 10n * articlePrice }), () => {
    const gif = Buffer.from("R0lGODlhAQABAAAAACw=", "base64");
    return new Response(gif, { headers: { "content-type": "image/gif" } });
  });
  // A route whose announced price does not hold for every page under it: a dearer page and a free one (registered
  // first, so they win), for the worker that pays the route's pages first.
  const shifting = (id: string, text: string) =>
    `<!doctype html><main id="paid-content" data-article="shifting-${id}">${text}</main>`;
  app.get("/shifting/dear", context.paywall({ price: 2n * articlePrice, priceRoute: false }), (c) =>
    c.html(shifting("dear", "dear")),
  );
  app.get("/shifting/free", (c) => c.html(shifting("free", "free")));
  app.get("/shifting/:id", context.paywall({ price: articlePrice }), (c) =>
    c.html(shifting(c.req.param("id"), `<a id="next" href="/shifting/${Number(c.req.param("id")) + 1}">Next</a>`)),
  );
  // Paid pages whose first answer to a preload that carries a payment never arrives: the connection is cut where the
  // answer would start, after the receiver took the payment (once per page: a flaky network, not a broken one).
  const dropped = new Set<string>();
  app.get("/dropping/:id", context.paywall({ price: articlePrice }), (c) => {
    const carriesPayment = c.req.header("service-worker-navigation-preload")?.includes(";") ?? false;
    const outgoing: unknown = Reflect.get(c.env ?? {}, "outgoing");
    if (carriesPayment && outgoing instanceof ServerResponse && !dropped.has(c.req.path)) {
      dropped.add(c.req.path);
      outgoing.writeHead = () => {
        outgoing.socket?.destroy();
        return outgoing;
      };
    }
    const id = c.req.param("id");
    return c.html(
      `<!doctype html><main id="paid-content" data-article="dropping-${id}"><a id="next" href="/dropping/${Number(id) + 1}">Next</a></main>`,
    );
  });
  // 402s asking for payment to someone the reader did not grant: another receiver, or a contract of its own.
  const foreign = (requirements: PaymentRequirements) => () =>
    new Response(`<!doctype html><title>Pay me</title><h1 id="foreign">Pay me</h1>`, {
      status: 402,
      headers: { ...encodePaymentResponseHeaders({ requirements }), "content-type": "text/html" },
    });
  const ours = context.receiver.requirements(articlePrice);
  app.get("/foreign/receiver", foreign({ ...ours, receiver: "0x000000000000000000000000000000000000dEaD" }));
  app.get("/foreign/contract", foreign({ ...ours, contract: "0x000000000000000000000000000000000000bEEF" }));
};

export type NavigationTestSite = Awaited<ReturnType<typeof startNavigationTestSite>>;

export async function startNavigationTestSite() {
  const directory = await mkdtemp(join(tmpdir(), "micro-raiden-navigation-"));
  const files = { worker: join(directory, "micro-raiden-sw.js"), page: join(directory, "page.js") };
  const built = await buildBrowserFiles(directory);
  await copyFile(built.worker, files.worker);
  await copyFile(built.page, files.page);

  const chain: TestChain = await startTestChain({ tokenKind: "usdc" });
  const receiverKey = chain.accounts[1]?.getHdKey().privateKey;
  if (!receiverKey) throw new Error("no receiver key");
  const server: RunningServer = await startServer({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiverKey),
    dbPath: join(directory, "receiver.db"),
    // Two: a fresh channel is mined but not yet confirmed until the next block, as a reader sees it right after
    // opening on a chain that counts confirmations.
    confirmations: 2,
    pollIntervalMs: 100,
    port: 0,
    routes: siteRoutes,
    serviceWorkerFile: files.worker,
    paywallScriptFile: files.page,
    log: () => {},
  });
  const browser: Browser = await chromium.launch(chromiumLaunchOptions);

  /** Mines the block that confirms what was mined last, and lets the receiver see it now. */
  async function confirm() {
    await chain.testClient.mine({ blocks: 1 });
    await server.receiver.sync();
  }

  /** A reader (a fresh account with ETH and tokens) with a channel of `deposit` to the receiver, on chain. */
  async function newReader(
    options: { signing?: "session" | "wallet"; confirmed?: boolean; autoPay?: AutoPayLimit | undefined } = {},
  ) {
    const privateKey = generatePrivateKey();
    const account = privateKeyToAccount(privateKey);
    await chain.testClient.setBalance({ address: account.address, value: parseEther("1") });
    await chain.mint(account.address, deposit * 2n);
    const client = createChannelClient({
      account,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
      signing: options.signing ?? "session",
    });
    const channel = await openChannel(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver: server.receiver.address,
      deposit,
      autoPay: options.autoPay,
    });
    if (options.confirmed !== false) await confirm();
    return { privateKey, channel };
  }

  return {
    url: server.url,
    chain,
    server,
    browser,
    files,
    built,
    newReader,
    confirm,
    /** Calls `listener` with every request the receiver answers from now on; returns how to stop. */
    onRequest(listener: (request: ReceivedRequest) => void): () => void {
      receivedListeners.add(listener);
      return () => receivedListeners.delete(listener);
    },
    /** What the receiver has stored as the channel's balance (what the reader was charged). */
    charged: (channel: StoredChannel) => server.receiver.getChannel(channel.sender, channel.openBlock)?.balance,
    /**
     * Opens `page` at `path` (a 402 page or the index, both load the test script), and starts paid navigation to
     * `url` (default: that page itself) from there.
     */
    async startNavigation(
      page: Page,
      reader: { privateKey: `0x${string}`; channel: StoredChannel },
      options: { from?: string; url?: string; signing?: "session" | "wallet"; budget?: bigint } = {},
    ) {
      await page.goto(`${server.url}${options.from ?? "/"}`);
      await page.waitForFunction(() => "navigationTest" in window);
      const parameters: NavigationTestOptions = {
        privateKey: reader.privateKey,
        rpcUrl: chain.rpcUrl,
        chainId: chain.deployment.chainId,
        channel: serializeChannel(reader.channel),
        signing: options.signing ?? "session",
        budget: options.budget?.toString(),
        url: new URL(options.url ?? page.url(), server.url).href,
      };
      await page.evaluate((p) => {
        const test = Reflect.get(window, "navigationTest") as { payAndNavigate(p: unknown): Promise<void> };
        void test.payAndNavigate(p);
      }, parameters);
    },
    /** What the page's test script recorded before navigating. */
    async outcome(page: Page) {
      return page.evaluate(() => ({
        how: sessionStorage.getItem("navigationTest:how"),
        error: sessionStorage.getItem("navigationTest:error"),
        prompts: JSON.parse(sessionStorage.getItem("navigationTest:prompts") ?? "{}") as Record<string, number>,
      }));
    },
    async newContext(options: { serviceWorkers?: "allow" | "block" } = {}): Promise<BrowserContext> {
      return browser.newContext({ serviceWorkers: options.serviceWorkers ?? "allow" });
    },
    /** Serves another worker file from now on (as a new release would). */
    async replaceWorker(source: string) {
      await writeFile(files.worker, source);
    },
    async close() {
      await browser.close();
      await server.close();
      await chain.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the Service Worker exactly as the release does (the repo's Vite config, mode `sw`) and the test page
 * script (an IIFE of the navigation module, the web-client and the test wallet), into `directory`.
 */
async function buildBrowserFiles(directory: string) {
  const out = join(directory, "build");
  await build({
    configFile: widget("../vite.config.ts"),
    mode: "sw",
    logLevel: "silent",
    build: { outDir: out, sourcemap: false },
  });
  await build({
    configFile: false,
    logLevel: "silent",
    resolve: { conditions: ["@micro-raiden/source", ...defaultClientConditions] },
    build: {
      outDir: out,
      emptyOutDir: false,
      sourcemap: false,
      minify: false,
      lib: {
        entry: widget("src/serviceWorker/navigationTestPage.test-helper.ts"),
        formats: ["iife"],
        name: "navigationTestPage",
        fileName: () => "page.js",
      },
    },
  });
  return { worker: join(out, "micro-raiden-sw.js"), page: join(out, "page.js") };
}
