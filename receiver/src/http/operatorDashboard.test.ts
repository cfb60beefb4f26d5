// The operator's dashboard in real Chromium, against a receiver served over HTTP on a real local chain: real
// channels, real paid requests, a batch withdraw clicked on the page and checked on chain. With
// UPDATE_SCREENSHOTS=1 (`npm run screenshots -w receiver`) it also writes the README's screenshots.
import assert from "node:assert/strict";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  channelManagerAbi,
  demoTokenAbi,
  encodePaymentHeaders,
} from "@micro-raiden/web-client/protocol";
import { type Browser, chromium, type Page } from "playwright";
import { createPublicClient, formatUnits, http, parseEventLogs, parseUnits, toHex } from "viem";
import { chromiumLaunchOptions } from "../../../scripts/chromium.ts";
import { type FreshChannel, openFreshChannel } from "../openFreshChannel.test-helper.ts";
import { type RunningServer, startServer } from "../startServer.ts";
import { dashboardPaths } from "./operatorDashboard.ts";

const operatorToken = "dashboard-test-operator-token-0123456789";
const screenshotsDir = process.env.UPDATE_SCREENSHOTS ? new URL("../../docs/", import.meta.url) : undefined;

let chain: TestChain;
let server: RunningServer;
let browser: Browser;
const unit = (tokens: string) => parseUnits(tokens, server.receiver.token.decimals);
const prices: Record<string, string> = { "/articles/markets": "0.003", "/articles/weather": "0.001" };

before(async () => {
  chain = await startTestChain();
  const key = chain.accounts[2]?.getHdKey().privateKey;
  assert.ok(key);
  server = await startServer({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(key),
    dbPath: join(await mkdtemp(join(tmpdir(), "dashboard-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
    operatorToken,
    port: 0,
    routes: (app, { paywall }) =>
      app.get("/articles/:name", paywall({ price: (c) => unit(prices[c.req.path] ?? "0.002") }), (c) =>
        c.text(`the paid ${c.req.param("name")}`),
      ),
  });
  browser = await chromium.launch({ ...chromiumLaunchOptions, headless: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await chain?.close();
});

/** Buys `path` over HTTP on `channel`, raising its balance by the page's price; returns the new balance. */
async function buy(channel: FreshChannel, path: string, balanceBefore: bigint): Promise<bigint> {
  const balance = balanceBefore + unit(prices[path] ?? "0.002");
  const { receiver } = server;
  const signature = await channel.sender.signTypedData(
    balanceProofTypedData(
      { chainId: receiver.deployment.chainId, contract: receiver.deployment.channelManager },
      { sender: channel.sender.address, receiver: receiver.address, openBlock: channel.openBlock, balance },
    ),
  );
  const paid = await fetch(`${server.url}${path}`, {
    headers: encodePaymentHeaders({
      contract: receiver.deployment.channelManager,
      receiver: receiver.address,
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance,
      signature,
    }),
  });
  assert.equal(paid.status, 200, await paid.text());
  return balance;
}

async function signIn(page: Page, token: string) {
  await page.goto(`${server.url}${dashboardPaths.page}`);
  await page.getByLabel("Operator token").fill(token);
  await page.getByLabel("Operator token").press("Enter");
}

describe("the operator dashboard in Chromium", () => {
  let channels: FreshChannel[];
  let earned: bigint;

  before(async () => {
    channels = [
      await openFreshChannel(chain, server.receiver.address, unit("5")),
      await openFreshChannel(chain, server.receiver.address, unit("5")),
    ];
    await server.receiver.sync();
    const [a, b] = channels;
    assert.ok(a && b);
    let balanceA = await buy(a, "/articles/markets", 0n);
    balanceA = await buy(a, "/articles/markets", balanceA);
    balanceA = await buy(a, "/articles/weather", balanceA);
    const balanceB = await buy(b, "/articles/markets", 0n);
    earned = balanceA + balanceB;
  });

  it("serves a page with no data, whose API refuses a request without the token", async () => {
    const response = await fetch(`${server.url}${dashboardPaths.page}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.doesNotMatch(await response.text(), new RegExp(server.receiver.address, "i"));
    assert.equal((await fetch(`${server.url}${server.receiver.gatewayPath}/dashboard`)).status, 401);
  });

  it("refuses a wrong token and shows nothing", async () => {
    const page = await browser.newPage();
    try {
      await signIn(page, "not-the-token");
      await page.getByRole("alert").filter({ hasText: "refused" }).waitFor();
      assert.equal(await page.locator("#dashboard").isVisible(), false);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    } finally {
      await page.close();
    }
  });

  it("signs in with the token and charts the real payments, by resource, in the token's units", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    try {
      await signIn(page, operatorToken);
      await page.locator("#dashboard").waitFor();
      assert.equal(await page.locator("#login").isVisible(), false);
      // The token is in the tab's sessionStorage, never in the address.
      assert.equal(new URL(page.url()).search, "");
      const { symbol } = server.receiver.token;
      const earnedText = `${formatUnits(earned, server.receiver.token.decimals)} ${symbol}`;
      assert.equal(await page.locator("#earned").textContent(), earnedText);
      assert.equal(await page.locator("#withdrawable").textContent(), earnedText);
      assert.equal(await page.locator("#count-open").textContent(), "2");
      // The chart: one bar holds the period's earnings (the payments were just made), its title says how much.
      const titles = await page.locator("#chart rect.bar title").allTextContents();
      assert.equal(titles.length, 7);
      assert.ok(
        titles.some((title) => title.endsWith(`: ${earnedText}`)),
        titles.join(" | "),
      );
      const tallest = await page
        .locator("#chart rect.bar")
        .evaluateAll((bars) => Math.max(...bars.map((bar) => Number(bar.getAttribute("height")))));
      assert.ok(tallest > 100, `the paid day's bar is drawn (${tallest})`);
      assert.deepEqual(await page.locator("#resources tr").allInnerTexts(), [
        `/articles/markets\t0.009 ${symbol}\t3`,
        `/articles/weather\t0.001 ${symbol}\t1`,
      ]);
      await page.getByLabel("Period").selectOption("1");
      await page.locator("#chart rect.bar").nth(23).waitFor();
      assert.equal(await page.locator("#chart rect.bar").count(), 24);
      if (screenshotsDir) {
        await mkdir(screenshotsDir, { recursive: true });
        await page.screenshot({ path: new URL("dashboard.png", screenshotsDir).pathname, fullPage: true });
      }
    } finally {
      await page.close();
    }
  });

  it("withdraws from every paid channel with the page's button, on chain, and shows the transaction", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const balanceOf = () =>
      client.readContract({
        address: chain.deployment.token,
        abi: demoTokenAbi,
        functionName: "balanceOf",
        args: [server.receiver.address],
      });
    try {
      const tokensBefore = await balanceOf();
      await signIn(page, operatorToken);
      // Keyboard only: the button takes focus and Enter.
      await page.getByRole("button", { name: "Batch withdraw" }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "done, 2 of 2" }).waitFor({ timeout: 60_000 });
      const logged = (await page.locator("#action-log li").allTextContents()).join("\n");
      const hash = /Transaction (0x[0-9a-f]{64}) mined/.exec(logged)?.[1];
      assert.ok(hash, logged);
      // Its progress as the receiver logged it: sent, then mined.
      assert.match(logged, new RegExp(`withdraw from 2 channel\\(s\\): transaction ${hash} sent`));
      assert.match(logged, new RegExp(`transaction ${hash} mined in block \\d+, gas used \\d+`));
      // On chain: one batchWithdraw paid both channels in one transfer to the receiver.
      const receipt = await client.getTransactionReceipt({ hash: toHex(BigInt(hash), { size: 32 }) });
      assert.equal(receipt.status, "success");
      const withdrawn = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelWithdrawn", logs: receipt.logs });
      assert.deepEqual(
        withdrawn.map((log) => log.args.sender).sort(),
        channels.map((channel) => channel.sender.address).sort(),
      );
      assert.equal((await balanceOf()) - tokensBefore, earned);
      // The page read the dashboard again: nothing is left to withdraw.
      assert.equal(await page.locator("#withdrawable").textContent(), `0 ${server.receiver.token.symbol}`);
      assert.equal(await page.getByRole("button", { name: "Batch withdraw" }).isDisabled(), true);
      if (screenshotsDir) {
        await page.screenshot({ path: new URL("dashboard-withdrawn.png", screenshotsDir).pathname, fullPage: true });
      }
    } finally {
      await page.close();
    }
  });
});
