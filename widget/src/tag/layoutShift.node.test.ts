// No layout shift from the script tag, measured as Chromium measures Cumulative Layout Shift (PerformanceObserver
// "layout-shift" entries, those without recent input): the receiver's 402 page as the first script draws the paywall
// and the widget takes over, the first paid page as its status bar mounts and fills in, and the next paid page. A
// shift is a fact of the layout, not a timing: any entry at all fails.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright";
import { startTagTestSite, type TagTestSite } from "./tagTestSite.test-helper.ts";

let site: TagTestSite;
before(async () => {
  site = await startTagTestSite();
});
after(() => site?.close());

type Shift = { value: number; sources: string[] };

/** Records every layout shift of each document the page loads, from its first paint, in `window.layoutShifts`. */
const recordShifts = `window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.layoutShifts.push({
      value: entry.value,
      sources: (entry.sources || []).map((source) => {
        const node = source.node;
        const name = node ? node.nodeName + (node.id ? "#" + node.id : "") : "?";
        const rect = (r) => r.y + "+" + r.height;
        return name + " " + rect(source.previousRect) + " → " + rect(source.currentRect);
      }),
    });
  }
}).observe({ type: "layout-shift", buffered: true });`;

async function shiftsOf(page: Page): Promise<Shift[]> {
  // Two frames: a shift is reported after the frame that rendered it.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))),
  );
  return page.evaluate(() => (window as unknown as { layoutShifts: Shift[] }).layoutShifts);
}

describe("script tag: no layout shift", () => {
  it("on the 402 page, the first paid page and the next one: CLS 0 in Chromium", async () => {
    const reader = await site.newReader();
    try {
      const { page } = reader;
      await page.addInitScript({ content: recordShifts });
      // The widget chunk is held back until the first script's drawing has been seen: the price and the Connect
      // step with no chain read and no wallet library loaded.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route("**/micro-raiden/chunks/**", async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${site.receiverUrl}/articles/1`);
      const paywall = page.locator("#micro-raiden-paywall");
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).waitFor();
      await paywall.getByText("This page costs 0.001 USDC.").waitFor();
      const drawn = await paywall.evaluateHandle((element) => element.shadowRoot?.querySelector(".mr-step"));
      release();
      // Then the widget over it (at idle): its step is a new element.
      await page.waitForFunction(
        (first) => document.getElementById("micro-raiden-paywall")?.shadowRoot?.querySelector(".mr-step") !== first,
        drawn,
      );
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).waitFor();
      await page.unroute("**/micro-raiden/chunks/**");
      assert.deepEqual(await shiftsOf(page), [], "the 402 page");

      await paywall.getByRole("button", { name: "Connect Test Wallet" }).click();
      await paywall.getByRole("button", { name: /^Open a channel with/ }).click();
      const bar = page.locator("#micro-raiden-status");
      await page.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });
      await bar.getByText(/^About \d+ pages left/).waitFor();
      await bar.getByRole("button", { name: "Close and get the rest back" }).waitFor();
      assert.deepEqual(await shiftsOf(page), [], "the first paid page, its status bar mounting and filling in");

      await page.getByRole("link", { name: /^Next: / }).click();
      await page.waitForURL(`${site.receiverUrl}/articles/2`);
      await bar.getByText("0.003 USDC").waitFor();
      await bar.getByRole("button", { name: "Close and get the rest back" }).waitFor();
      assert.deepEqual(await shiftsOf(page), [], "the next paid page");
    } finally {
      await reader.close();
    }
  });
});
