// `npm run bench:e2e`: how soon a reader sees the price on a cold cache, and how soon the paid article after the
// deposit, in real Chromium against the receiver's 402 page; on the local machine and on Chromium's "Slow 4G"
// (CDP Network.emulateNetworkConditions: 562.5 ms latency, 1.6 Mbit/s down, 750 kbit/s up, as DevTools' preset).
// - Time to the price: from the navigation's start to the first frame whose paywall shows "This page costs …" (the
//   first script's drawing, from the page's attributes); then when the widget chunk it imports had arrived.
// - Time to the paid article: from the click on "Open a channel" (after connecting) to the article as the real
//   document, wall-clock: the deposit's transaction, its confirmation, the receiver seeing it, the paid navigation.
// Each round is a new reader in a new browser context (an empty HTTP cache). Prints figures; asserts only that each
// round showed the price and delivered the article (never on a timing).
import type { Page } from "@playwright/test";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath } from "../harness/magazineRoutes.ts";
import { connectButton, expectArticle, openButton } from "../harness/paywall.ts";

/** DevTools' "Slow 4G" preset, in the units CDP takes (bytes per second, milliseconds). */
const slow4g = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };

const conditions = [
  { name: "local", rounds: 5, network: undefined },
  { name: "Slow 4G", rounds: 3, network: slow4g },
] as const;

type Round = { price: number; widget: number; article: number };

/** Records, in each document, when the paywall's price was first on screen (ms since the navigation started). */
const watchPrice = `(() => {
  const look = () => {
    const price = document.getElementById("micro-raiden-paywall")?.shadowRoot?.querySelector(".mr-price");
    if (price && /^This page costs /.test(price.textContent || "")) window.priceShownAt = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();`;

async function widgetArrivedAt(page: Page): Promise<number> {
  return page.evaluate(() => {
    const chunk = performance
      .getEntriesByType("resource")
      .find((entry) => entry.name.includes("/micro-raiden/chunks/widget."));
    if (!chunk) throw new Error("The widget chunk was not loaded.");
    return (chunk as PerformanceResourceTiming).responseEnd;
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

test("time to the price on a cold cache, and to the paid article after the deposit", async ({ newReader, world }) => {
  test.setTimeout(600_000);
  const lines = ["", "receiver's 402 page, Chromium, cold cache (a new context each round), median (min–max):"];
  for (const condition of conditions) {
    const rounds: Round[] = [];
    for (let round = 0; round < condition.rounds; round++) {
      const { page, context } = await newReader();
      await context.addInitScript({ content: watchPrice });
      if (condition.network) {
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", condition.network);
      }
      const url = `${world.receiverUrl}${magazinePath(1)}`;
      await page.goto(url);
      await page.waitForFunction(() => (window as { priceShownAt?: number }).priceShownAt !== undefined);
      const price = await page.evaluate(() => (window as unknown as { priceShownAt: number }).priceShownAt);
      await connectButton(page).click();
      await openButton(page).waitFor();
      const widget = await widgetArrivedAt(page);
      const opened = performance.now();
      await openButton(page).click();
      await expectArticle(page, url, 1);
      rounds.push({ price, widget, article: performance.now() - opened });
      await context.close();
    }
    expect(rounds).toHaveLength(condition.rounds);
    const row = (values: number[], format: (value: number) => string) =>
      `${format(median(values))}  (${format(Math.min(...values))}–${format(Math.max(...values))})`;
    lines.push(
      `  ${condition.name}, ${condition.rounds} rounds:`,
      `    time to the price (first script's drawing)   ${row(
        rounds.map((r) => r.price),
        ms,
      )}`,
      `    widget chunk arrived (loaded at idle)        ${row(
        rounds.map((r) => r.widget),
        ms,
      )}`,
      `    deposit click → paid article                 ${row(
        rounds.map((r) => r.article),
        seconds,
      )}`,
    );
  }
  console.log([...lines, ""].join("\n"));
});
