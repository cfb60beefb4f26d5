// What a reader sees as a payment goes through, in real Chromium with the script tag built from the sources and the
// demo's paid articles: a paid fragment on a content site shows the article once (not its title again, nor the paid
// page around it), a paid article reads in the 402 page's type (no jump from sans-serif to serif), and its status
// bar is never blank and, from the second paid page on, never changes its height as the wallet reconnects.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { articles } from "@micro-raiden/demo-server";
import type { Locator, Page } from "playwright";
import { startTagTestSite, type TagTestSite } from "./tagTestSite.test-helper.ts";

let site: TagTestSite;
before(async () => {
  site = await startTagTestSite();
});
after(() => site?.close());

const [first] = articles;
if (!first) throw new Error("The demo has no articles.");

/** Connects the test wallet and opens a channel with the suggested deposit, in the paywall `within`. */
async function openChannel(within: Locator): Promise<void> {
  await within.getByRole("button", { name: "Connect Test Wallet" }).click();
  await within.getByRole("button", { name: /^Open a channel with/ }).click();
}

/** The computed type and column of the page's body, main column, heading and paragraphs. */
function typography(page: Page) {
  return page.evaluate(() => {
    const style = (selector: string) => {
      const element = document.querySelector(selector);
      if (!element) return null;
      const computed = getComputedStyle(element);
      const { left, width } = element.getBoundingClientRect();
      return {
        font: `${computed.fontStyle} ${computed.fontWeight} ${computed.fontSize}/${computed.lineHeight} ${computed.fontFamily}`,
        color: computed.color,
        background: computed.backgroundColor,
        column: `${Math.round(left)}+${Math.round(width)}`,
      };
    };
    return { body: style("body"), main: style("main"), h1: style("main h1"), p: style("main p") };
  });
}

describe("a paid fragment on a content site", () => {
  it("shows the article once: not the post's title again, not the paid page around the article", async () => {
    const reader = await site.newReader();
    try {
      const url = site.sitePage(
        "/fragment-title",
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${first.title} — a blog</title></head>
<body><main><h1>${first.title}</h1><p>The free part of the post.</p>
<div id="paid" data-micro-raiden-src="${site.receiverUrl}/articles/${first.id}">Subscribers read on…</div></main>
<script src="${site.receiverUrl}/micro-raiden/paywall.js" async></script></body></html>`,
      );
      const { page } = reader;
      await page.goto(url);
      const paid = page.locator("#paid");
      await openChannel(paid);
      await paid.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });
      await paid.getByRole("region", { name: "Payment channel" }).waitFor();

      assert.equal(await page.getByRole("heading", { name: first.title }).count(), 1, "the title once");
      assert.equal(await page.getByRole("main").count(), 1, "one main landmark: the post's");
      // The paid page's own status bar element stays out: the widget shows the channel above the fragment.
      const inFragment = (selector: string) =>
        paid.evaluate((element, selector) => element.shadowRoot?.querySelectorAll(selector).length, selector);
      assert.equal(await inFragment(".micro-raiden-fragment"), 1);
      assert.equal(await inFragment(".micro-raiden-fragment [id]"), 0);
    } finally {
      await reader.close();
    }
  });
});

describe("a paid article after its 402 page", () => {
  it("reads in the 402 page's type and column", async () => {
    const reader = await site.newReader();
    try {
      const { page } = reader;
      const response = await page.goto(`${site.receiverUrl}/articles/${first.id}`);
      assert.equal(response?.status(), 402);
      const unpaid = await typography(page);
      await openChannel(page.locator("#micro-raiden-paywall"));
      await page.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });
      const paid = await typography(page);
      assert.match(unpaid.body?.font ?? "", /system-ui/);
      assert.deepEqual(paid, unpaid);
    } finally {
      await reader.close();
    }
  });
});

/** One frame of the status bar: ms since the document started, its height, where the article starts, what it shows. */
type BarFrame = { at: number; height: number; mainTop: number; view: string; text: string };

declare global {
  interface Window {
    barFrames?: BarFrame[];
  }
}

/**
 * In every document of `page`: the wallet takes `delayMs` to answer `eth_accounts` (a wallet extension's reconnect
 * is not instant), and every frame of the status bar is recorded, from the frame its panel first renders.
 */
async function recordBarFrames(page: Page, delayMs: number): Promise<void> {
  await page.addInitScript((delay) => {
    const slow = (wallet: NonNullable<Window["testWallet"]>) => {
      const request = wallet.provider.request.bind(wallet.provider);
      wallet.provider.request = (async (args: { method: string }) => {
        if (args.method === "eth_accounts") await new Promise((resolve) => setTimeout(resolve, delay));
        return request(args as never);
      }) as typeof request;
    };
    // The wallet's own init script may run before or after this one.
    if (window.testWallet) slow(window.testWallet);
    else {
      let wallet: Window["testWallet"];
      Object.defineProperty(window, "testWallet", {
        configurable: true,
        get: () => wallet,
        set: (value) => {
          wallet = value;
          if (value) slow(value);
        },
      });
    }
    const frames: BarFrame[] = [];
    window.barFrames = frames;
    const frame = () => {
      const step = document.getElementById("micro-raiden-status")?.shadowRoot?.querySelector<HTMLElement>(".mr-step");
      const bar = step?.closest("section");
      if (step && bar) {
        frames.push({
          at: Math.round(performance.now()),
          height: bar.getBoundingClientRect().height,
          mainTop: document.querySelector("main")?.getBoundingClientRect().top ?? -1,
          view: step.dataset.view ?? "",
          text: (step.textContent ?? "").trim(),
        });
      }
      if (performance.now() < 20_000) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, delayMs);
}

/** The bar's frames on this document once it shows the open channel with `spent`. */
async function framesUntilOpen(page: Page, spent: string): Promise<BarFrame[]> {
  const bar = page.locator("#micro-raiden-status");
  await bar.locator('[data-view="open"]').getByText(spent, { exact: true }).waitFor();
  await bar.getByRole("button", { name: "Close and get the rest back" }).and(page.locator(":enabled")).waitFor();
  await page.waitForTimeout(300);
  return page.evaluate(() => window.barFrames ?? []);
}

/** The bar's frames show `figures` from the first loading frame on, never blank, at one height, the article still. */
function assertSteady(frames: BarFrame[], figures: RegExp): void {
  const loading = frames.filter((frame) => frame.view === "loading");
  assert.ok(loading.length > 0, "the bar was seen loading");
  for (const frame of frames) assert.notEqual(frame.text, "", `blank at ${frame.at} ms (${frame.view})`);
  assert.match(loading[0]?.text ?? "", figures);
  const final = frames.at(-1);
  assert.equal(final?.view, "open");
  const heights = new Set(frames.map((frame) => frame.height));
  const tops = new Set(frames.map((frame) => frame.mainTop));
  assert.deepEqual([...heights], [final?.height], "the bar's height from its first frame to the loaded channel");
  assert.deepEqual([...tops], [final?.mainTop], "the article does not move");
}

describe("the status bar on paid pages", () => {
  it("is never blank while the wallet reconnects, and keeps its height from the first paid page on", async () => {
    const reader = await site.newReader();
    try {
      const { page } = reader;
      await recordBarFrames(page, 1500);
      await page.goto(`${site.receiverUrl}/articles/${first.id}`);
      await openChannel(page.locator("#micro-raiden-paywall"));
      await page.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });

      // The first paid page: the 402 page left the figures of the channel it opened and of the payment it made.
      assertSteady(await framesUntilOpen(page, "0.001 USDC"), /^Deposit0\.1 USDCSpent0\.001 USDCRemaining0\.099 USDC/);

      // The next article, paid by the Service Worker: the bar shows the last figures at once and keeps its height.
      await page.getByRole("link", { name: /^Next:/ }).click();
      await page.waitForURL(`${site.receiverUrl}/articles/2`);
      assertSteady(await framesUntilOpen(page, "0.003 USDC"), /^Deposit0\.1 USDCSpent0\.001 USDCRemaining0\.099 USDC/);
    } finally {
      await reader.close();
    }
  });
});
