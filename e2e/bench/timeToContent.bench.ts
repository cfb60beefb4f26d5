// `npm run bench:e2e`: what paying costs a reader in time, in real Chromium on the local chain.
// - Time to content of a paid article (channel open, session key, the Service Worker paying on the way) against the
//   same article served free by the same receiver, median of 20 navigations each, and their ratio (target ≤ 1.1).
//   Time to content is the navigation's DOMContentLoaded end as the browser measured it (Navigation Timing, from the
//   navigation's start): the document is parsed and its inline script ran. Paid and free alternate, each article a
//   new URL, so neither side profits from a cache or a drift of the machine's load.
// - The first visit: the 402 page, connect, one-transaction deposit, the paid article — wall-clock seconds.
// Prints figures; asserts only that each navigation delivered the article (never on a timing).

import { decodePreloadPaymentHeader, navigationPreload } from "@micro-raiden/web-client/protocol";
import type { Page } from "@playwright/test";
import { expect, test } from "../harness/fixtures.ts";
import { freeMagazinePath, magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

const rounds = 20;
const warmUp = 3;

/**
 * Navigates to `url` and returns its time to content and to the answer's first byte (where paying adds its cost:
 * the rest is the same page parsed and run) in milliseconds, as the browser measured them.
 */
async function timeToContent(page: Page, url: string, id: number): Promise<{ content: number; firstByte: number }> {
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await expect(page.locator(`#article[data-article="${id}"]`)).toBeAttached();
  return page.evaluate(() => {
    const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    if (!navigation) throw new Error("No navigation timing.");
    return {
      content: navigation.domContentLoadedEventEnd - navigation.startTime,
      firstByte: navigation.responseStart - navigation.startTime,
    };
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

test("time to content: paid vs free, and the first visit", async ({ newReader, world }) => {
  test.setTimeout(300_000);
  const reader = await newReader();
  const { page, wallet } = reader;
  const paidUrl = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  const freeUrl = (id: number) => `${world.receiverUrl}${freeMagazinePath(id)}`;

  const started = performance.now();
  await page.goto(paidUrl(1));
  await connectAndOpen(page);
  await expectArticle(page, paidUrl(1), 1);
  const firstVisit = (performance.now() - started) / 1000;
  const promptsAfterOpen = wallet.promptCount();

  // How each measured paid page was paid: by its navigation preload carrying the worker's payment (no request of the
  // worker's own), or by the worker (the preload skipped).
  const paidByPreload = new Set<string>();
  page.context().on("response", (response) => {
    const carried = response.request().headers()[navigationPreload.header.toLowerCase()];
    if (response.status() === 200 && decodePreloadPaymentHeader(carried))
      paidByPreload.add(new URL(response.url()).pathname);
  });
  const paid: number[] = [];
  const free: number[] = [];
  const paidFirstByte: number[] = [];
  const freeFirstByte: number[] = [];
  for (let round = 0; round < warmUp + rounds; round++) {
    const id = 2 + round;
    const paidTimes = await timeToContent(page, paidUrl(id), id);
    const freeTimes = await timeToContent(page, freeUrl(id), id);
    if (round >= warmUp) {
      paid.push(paidTimes.content);
      free.push(freeTimes.content);
      paidFirstByte.push(paidTimes.firstByte);
      freeFirstByte.push(freeTimes.firstByte);
    }
  }
  expect(wallet.promptCount(), "the paid navigations asked the wallet nothing").toBe(promptsAfterOpen);
  expect((await onlyChannel(reader.address)).balance, "each paid article charged once").toBe(
    BigInt(1 + warmUp + rounds) * magazinePrice,
  );

  const measuredIds = Array.from({ length: rounds }, (_, round) => 2 + warmUp + round);
  const preloadPaid = measuredIds.filter((id) => paidByPreload.has(magazinePath(id))).length;
  const paidMedian = median(paid);
  const freeMedian = median(free);
  console.log(
    [
      "",
      `time to content, median of ${rounds} navigations (after ${warmUp} warm-up rounds), Chromium, local chain:`,
      `  paid (session key, Service Worker)  ${ms(paidMedian)}   (min ${ms(Math.min(...paid))}, max ${ms(Math.max(...paid))})`,
      `  free (same article)                 ${ms(freeMedian)}   (min ${ms(Math.min(...free))}, max ${ms(Math.max(...free))})`,
      `  ratio paid / free                   ${(paidMedian / freeMedian).toFixed(2)}   (target ≤ 1.1)`,
      `  first byte, paid / free             ${ms(median(paidFirstByte))} / ${ms(median(freeFirstByte))}   (what paying adds: the rest is the same page)`,
      `  paid by their navigation preload    ${preloadPaid} of ${rounds}   (the rest: by the worker's own request)`,
      `first visit (402 page → connect → one-transaction deposit → article): ${firstVisit.toFixed(2)} s`,
      "",
    ].join("\n"),
  );
});
