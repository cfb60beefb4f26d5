// Paid navigation in real Chromium: the Service Worker built as released, served by the real receiver on a real
// chain. The reader gets the real article (its script ran, the URL is the article's), follows links with no prompt
// and no paywall, is charged exactly once per page, and sees the paywall (never a blank page) when a payment
// cannot be made.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import {
  decodePreloadPaymentHeader,
  headerNames,
  navigationPreload,
  paysFirstPreload,
} from "@micro-raiden/web-client/protocol";
import type { BrowserContext, Page } from "playwright";
import { articlePrice, type NavigationTestSite, startNavigationTestSite } from "./navigationTestSite.test-helper.ts";

let site: NavigationTestSite;
before(async () => {
  site = await startNavigationTestSite();
});
after(() => site?.close());

/** The value the page's origin sends in its navigation preloads (the worker sets it). Any page of the origin. */
const preloadHeaderValue = (page: Page) =>
  page.evaluate(async () => (await (await navigator.serviceWorker.ready).navigationPreload.getState()).headerValue);

/**
 * Waits until the worker put the payment for the channel's next page in its preload header (it does so right after
 * each payment): the balance it carries, `balance`. A reader's next click comes seconds later; a test's, at once.
 */
async function nextPaymentCarried(page: Page, balance: bigint) {
  for (let waited = 0; ; waited += 50) {
    const carried = decodePreloadPaymentHeader(await preloadHeaderValue(page));
    if (carried?.payment.balance === balance) return carried;
    if (waited > 10_000) throw new Error(`the preload header never carried the payment for ${balance}`);
    await page.waitForTimeout(50);
  }
}

/** Waits until the worker kept its copy of the paid page at `url` (it takes it a moment after the payment). */
async function keptByWorker(page: Page, url: string) {
  for (let waited = 0; ; waited += 50) {
    const kept = await page.evaluate(
      async (keptUrl) => (await (await caches.open("micro-raiden-paid-pages")).match(keptUrl)) !== undefined,
      url,
    );
    if (kept) return;
    if (waited > 10_000) throw new Error(`the worker never kept ${url}`);
    await page.waitForTimeout(50);
  }
}

/**
 * The navigation preloads the browser sent for pages of `prefix`, as the receiver answered them: the value the
 * worker gave the preload header, the status, whether it was the skipped answer, and its content type (none: no body).
 */
function preloads(context: BrowserContext, prefix: string) {
  const seen: { path: string; value: string; status: number; skipped: boolean; type: string | undefined }[] = [];
  context.on("response", (response) => {
    const request = response.request();
    const { pathname } = new URL(request.url());
    const value = request.headers()[navigationPreload.header.toLowerCase()];
    if (!pathname.startsWith(prefix) || value === undefined || response.fromServiceWorker()) return;
    const skipped = response.headers()[headerNames.preloadSkipped.toLowerCase()] === "1";
    seen.push({ path: pathname, value, status: response.status(), skipped, type: response.headers()["content-type"] });
  });
  return seen;
}

describe("paid navigation with the Service Worker (session key)", () => {
  it("loads the paid article as a real document, then follows links paid with no prompt, charging each once", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      const first = await page.goto(`${site.url}/articles/1`);
      assert.equal(first?.status(), 402, "an unpaid visit gets the paywall page");
      await site.startNavigation(page, reader, { from: "/articles/1" });
      await page.locator("#paid-content[data-article='1']").waitFor();
      assert.equal(page.url(), `${site.url}/articles/1`, "the URL is the article's");
      assert.equal(await page.evaluate(() => document.body.dataset.scriptRan), "yes", "its own script ran");
      assert.deepEqual(await site.outcome(page).then((o) => [o.how, o.error]), ["worker", null]);
      assert.equal(site.charged(reader.channel), articlePrice);

      for (const id of [2, 3, 4]) {
        await page.click("#next");
        await page.locator(`#paid-content[data-article='${id}']`).waitFor();
        assert.equal(await page.evaluate(() => document.body.dataset.scriptRan), "yes");
        assert.equal(site.charged(reader.channel), BigInt(id) * articlePrice, `article ${id} charged once`);
      }
      assert.deepEqual((await site.outcome(page)).prompts.eth_signTypedData_v4 ?? 0, 0, "no wallet prompt");
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation right after opening", () => {
  it("waits for the receiver to see the new channel confirmed instead of showing the paywall again", async () => {
    const reader = await site.newReader({ confirmed: false });
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      // The worker's paid request is refused for want of confirmations; the next block confirms the channel.
      const refused = context.waitForEvent("response", (response) =>
        Object.keys(response.headers()).includes("rdn-insufficient-confirmations"),
      );
      await site.startNavigation(page, reader, { from: "/", url: "/articles/120" });
      await refused;
      await site.confirm();
      await page.locator("#paid-content[data-article='120']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: what is not charged twice", () => {
  it("goes back to a paid article, and opens it again, without paying again (the browser's private cache)", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/30" });
      await page.locator("#paid-content[data-article='30']").waitFor();
      await page.click("#next");
      await page.locator("#paid-content[data-article='31']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice);

      await page.goBack();
      await page.locator("#paid-content[data-article='30']").waitFor();
      // A new navigation, not history: the worker's request is answered from the cache (private, max-age).
      await page.goto(`${site.url}/articles/31`);
      await page.locator("#paid-content[data-article='31']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "nothing more charged");
    } finally {
      await context.close();
    }
  });

  it("reloads a paid article without paying again, and pays nothing more once the reader revokes the worker", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/35" });
      await page.locator("#paid-content[data-article='35']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice);

      // A reload revalidates the browser's copy: the receiver answers 304 within the paid max-age, and it is shown.
      const reloaded = page.waitForResponse(`${site.url}/articles/35`);
      await page.reload();
      assert.equal((await reloaded).status(), 200);
      await page.locator("#paid-content[data-article='35']").waitFor();
      assert.equal(await page.evaluate(() => document.body.dataset.scriptRan), "yes", "the real page again");
      assert.equal(site.charged(reader.channel), articlePrice, "a reload is charged once");

      // The browser's copy gone (its cache cleared, or evicted): the network answers a reload 402, and the worker
      // answers with the page it kept.
      await keptByWorker(page, `${site.url}/articles/35`);
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.clearBrowserCache");
      const fromWorker = page.waitForResponse(`${site.url}/articles/35`);
      await page.reload();
      assert.equal((await fromWorker).status(), 200);
      await page.locator("#paid-content[data-article='35']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice, "a reload is charged once");

      // Revoked (the reader disconnected): the worker forgets the pages it kept, and pays nothing more.
      await page.goto(`${site.url}/`);
      await page.waitForFunction(() => "navigationTest" in window);
      const value = await preloadHeaderValue(page);
      assert.ok(paysFirstPreload(value), "a grant held: it pays first");
      assert.equal(decodePreloadPaymentHeader(value)?.payment.balance, 2n * articlePrice, "the next page's payment");
      const revoked = await page.evaluate(() => {
        const test = Reflect.get(window, "navigationTest") as { revokePaymentWorker(): Promise<boolean> };
        return test.revokePaymentWorker();
      });
      assert.equal(revoked, true);
      assert.equal(await preloadHeaderValue(page), "true", "no grant: the browser's default value again");
      // Without the browser's copy, a reload shows the paywall: the worker kept nothing for another reader.
      await page.goto(`${site.url}/articles/35`);
      await cdp.send("Network.clearBrowserCache");
      const afterRevoke = page.waitForResponse(`${site.url}/articles/35`);
      await page.reload();
      assert.equal((await afterRevoke).status(), 402);
      await page.locator("#micro-raiden-paywall").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice, "nothing more charged");
    } finally {
      await context.close();
    }
  });

  it("charges two tabs navigating paid pages at the same time exactly once per page", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const [one, two] = [await context.newPage(), await context.newPage()];
      await site.startNavigation(one, reader, { from: "/articles/40" });
      await one.locator("#paid-content[data-article='40']").waitFor();
      await two.goto(`${site.url}/`);
      // Both tabs follow three links at once; the worker pays for both under the same lock.
      const read = async (page: Page, ids: number[]) => {
        for (const id of ids) {
          await page.goto(`${site.url}/articles/${id}`);
          await page.locator(`#paid-content[data-article='${id}']`).waitFor();
        }
      };
      await Promise.all([read(one, [41, 42, 43]), read(two, [51, 52, 53])]);
      assert.equal(site.charged(reader.channel), 7n * articlePrice, "seven articles, seven prices");
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: a payment that cannot be made shows the paywall, never a blank page", () => {
  /** The page is the receiver's 402 paywall page, with its price. */
  async function assertPaywall(page: Page) {
    await page.locator("#micro-raiden-paywall").waitFor();
    assert.match((await page.locator("#micro-raiden-paywall h2").textContent()) ?? "", /This page costs \d[\d.]* USDC/);
    assert.equal(await page.locator("#paid-content").count(), 0);
  }

  it("over the reader's budget", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/60", budget: articlePrice });
      await page.locator("#paid-content[data-article='60']").waitFor();
      const response = page.waitForResponse(`${site.url}/articles/61`);
      await page.click("#next");
      assert.equal((await response).status(), 402);
      await assertPaywall(page);
      assert.equal(site.charged(reader.channel), articlePrice, "only the page within the budget");
    } finally {
      await context.close();
    }
  });

  it("beyond the channel's deposit", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/70" });
      await page.locator("#paid-content[data-article='70']").waitFor();
      await page.goto(`${site.url}/pricey`);
      await assertPaywall(page);
      assert.equal(site.charged(reader.channel), articlePrice);
    } finally {
      await context.close();
    }
  });

  it("refused by the receiver (a channel it does not know)", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      const unknown = { ...reader, channel: { ...reader.channel, openBlock: reader.channel.openBlock + 1000n } };
      await site.startNavigation(page, unknown, { from: "/", url: "/articles/80" });
      await page.waitForURL(`${site.url}/articles/80`);
      await assertPaywall(page);
      assert.equal((await site.outcome(page)).how, "worker");
      assert.equal(site.charged(reader.channel), 0n);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: what the worker pays without asking", () => {
  /** What `fetch(path)` from the page answers, with the RDN-Auto-Pay mark or without. */
  const fetchFromPage = (page: Page, path: string, marked: boolean) =>
    page.evaluate(
      async ([path, marked]) => (await fetch(path, marked ? { headers: { "RDN-Auto-Pay": "1" } } : {})).status,
      [path, marked] as const,
    );

  it("pays navigations and marked requests within the channel's price, never an image or an unmarked request", async () => {
    const reader = await site.newReader({ autoPay: { maxPrice: articlePrice, perMinute: 30 } });
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/200" });
      await page.locator("#paid-content[data-article='200']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice);

      // An image priced ten times a page, and one at a page's price: neither is paid by the worker.
      const images = await page.evaluate(async () => {
        const load = (src: string) =>
          new Promise<string>((resolve) => {
            const image = new Image();
            image.onload = () => resolve("loaded");
            image.onerror = () => resolve("failed");
            image.src = src;
          });
        return [await load("/images/1"), await load("/articles/201")];
      });
      assert.deepEqual(images, ["failed", "failed"]);
      assert.equal(await fetchFromPage(page, "/articles/202", false), 402, "a script's unmarked request");
      assert.equal(await fetchFromPage(page, "/images/2", true), 402, "marked, but above the channel's price");
      assert.equal(site.charged(reader.channel), articlePrice, "nothing more charged");

      assert.equal(await fetchFromPage(page, "/articles/203", true), 200, "marked, at a page's price");
      assert.equal(site.charged(reader.channel), 2n * articlePrice);

      // A page priced above what the channel pays automatically: the paywall page, for the reader to decide.
      const dear = page.waitForResponse(`${site.url}/dear/1`);
      await page.goto(`${site.url}/dear/1`);
      assert.equal((await dear).status(), 402);
      await page.locator("#micro-raiden-paywall").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice);
    } finally {
      await context.close();
    }
  });

  it("stops a script paying in a loop at the channel's payments a minute", async () => {
    const reader = await site.newReader({ autoPay: { maxPrice: articlePrice, perMinute: 10 } });
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/300" });
      await page.locator("#paid-content[data-article='300']").waitFor();
      const statuses = await page.evaluate(async () => {
        const seen: number[] = [];
        for (let id = 301; id <= 400; id++) {
          seen.push((await fetch(`/articles/${id}`, { headers: { "RDN-Auto-Pay": "1" } })).status);
        }
        return seen;
      });
      assert.equal(statuses.filter((status) => status === 200).length, 9, "the navigation and nine more");
      assert.equal(statuses.filter((status) => status === 402).length, 91);
      assert.equal(site.charged(reader.channel), 10n * articlePrice);
    } finally {
      await context.close();
    }
  });

  it("keeps to the channel's payments a minute with the next page's payment in the preload", async () => {
    const reader = await site.newReader({ autoPay: { maxPrice: articlePrice, perMinute: 3 } });
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/700" });
      await page.locator("#paid-content[data-article='700']").waitFor();
      for (const id of [701, 702]) {
        await nextPaymentCarried(page, BigInt(id - 699) * articlePrice);
        await page.click("#next");
        await page.locator(`#paid-content[data-article='${id}']`).waitFor();
      }
      assert.equal(site.charged(reader.channel), 3n * articlePrice);
      // The minute's third payment made: no fourth is prepared, and the next page shows the paywall.
      for (let tries = 0; tries < 100 && (await preloadHeaderValue(page)) !== navigationPreload.paysFirst; tries++) {
        await page.waitForTimeout(50);
      }
      assert.equal(await preloadHeaderValue(page), navigationPreload.paysFirst, "the mark, no payment");
      await page.click("#next");
      await page.locator("#micro-raiden-paywall").waitFor();
      assert.equal(site.charged(reader.channel), 3n * articlePrice, "three payments in the minute, no more");
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: paying first, at the price the receiver announced for the route", () => {
  /**
   * The requests the worker sent to the network for pages of `prefix` (the browser's own preload, the unpaid first
   * try of the usual way, aside): whether each carried a payment, and whether that payment said which price it paid
   * (RDN-Price: it was sent before any 402 for the page, at the route's announced price), as the receiver got them
   * (its reads of the browser's cache, for the copies of paid pages it keeps, reach no server).
   */
  function workerRequests(context: BrowserContext, prefix: string) {
    const seen: { path: string; paid: boolean; first: boolean; status: number }[] = [];
    const stop = site.onRequest(({ path, preload, paid, first, status }) => {
      if (path.startsWith(prefix) && preload === undefined) seen.push({ path, paid, first, status });
    });
    context.on("close", stop);
    return seen;
  }

  it("pays the next page of the route with its first request: one request a page, no 402 waited for", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const seen = workerRequests(context, "/articles/");
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/500" });
      await page.locator("#paid-content[data-article='500']").waitFor();
      seen.length = 0;
      // The payment for the next page is not ready yet (the preload header carries none): the worker pays first.
      await nextPaymentCarried(page, 2n * articlePrice);
      // (As the worker would before it put one there; the worker still believes it did: the preload's answer tells.)
      await page.evaluate(async (mark) => {
        await (await navigator.serviceWorker.ready).navigationPreload.setHeaderValue(mark);
      }, navigationPreload.paysFirst);
      await page.click("#next");
      await page.locator("#paid-content[data-article='501']").waitFor();
      assert.deepEqual(
        seen,
        [{ path: "/articles/501", paid: true, first: true, status: 200 }],
        "one paid request, answered 200",
      );
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "each page charged once");
    } finally {
      await context.close();
    }
  });

  it("a guess that no longer holds costs a round trip, never money: a dearer page, then a free one", async () => {
    const reader = await site.newReader({ autoPay: { maxPrice: 2n * articlePrice, perMinute: 30 } });
    const context = await site.newContext();
    try {
      const seen = workerRequests(context, "/shifting/");
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/shifting/1" });
      await page.locator("#paid-content[data-article='shifting-1']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice);

      // Priced twice the route's announced price: the payment the preload carries is not taken (the receiver answers
      // it with its paywall's 402 and the right price), which the worker then pays.
      seen.length = 0;
      await nextPaymentCarried(page, 2n * articlePrice);
      await page.goto(`${site.url}/shifting/dear`);
      await page.locator("#paid-content[data-article='shifting-dear']").waitFor();
      assert.deepEqual(seen, [{ path: "/shifting/dear", paid: true, first: false, status: 200 }]);
      assert.equal(site.charged(reader.channel), 3n * articlePrice, "charged its own price, once");

      // Free: the payment the preload carries goes unused and nothing is recorded, in the receiver or the reader's
      // channel; the preload's answer is the page, and the worker sends nothing.
      seen.length = 0;
      const carried = await nextPaymentCarried(page, 4n * articlePrice);
      await page.goto(`${site.url}/shifting/free`);
      await page.locator("#paid-content[data-article='shifting-free']").waitFor();
      assert.deepEqual(seen, []);
      assert.equal(site.charged(reader.channel), 3n * articlePrice);

      // The same payment then pays the next page of the route, with the preload: once.
      assert.deepEqual(decodePreloadPaymentHeader(await preloadHeaderValue(page)), carried, "still the next payment");
      await page.goto(`${site.url}/shifting/2`);
      await page.locator("#paid-content[data-article='shifting-2']").waitFor();
      assert.deepEqual(seen, []);
      assert.equal(site.charged(reader.channel), 4n * articlePrice);
      // The worker's own paid request, the usual way, never comes: the page was paid once, by the preload.
      await nextPaymentCarried(page, 5n * articlePrice);
      assert.equal(site.charged(reader.channel), 4n * articlePrice);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: the navigation preload beside a page paid first", () => {
  it("puts the next page's payment in the preload: the browser's preload is the paid request, the worker sends none", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const seen = preloads(context, "/articles/");
      // What reached the receiver for these pages other than the browser's preloads: the worker's own requests (not
      // its reads of the browser's cache, for the copies it keeps).
      const sent: string[] = [];
      const stop = site.onRequest(({ path, preload }) => {
        if (path.startsWith("/articles/") && preload === undefined) sent.push(path);
      });
      context.on("close", stop);
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/600" });
      await page.locator("#paid-content[data-article='600']").waitFor();
      seen.length = 0;
      sent.length = 0;
      const carriedBalances: bigint[] = [];
      for (const id of [601, 602, 603]) {
        const carried = await nextPaymentCarried(page, BigInt(id - 599) * articlePrice);
        carriedBalances.push(carried.payment.balance);
        await page.click("#next");
        await page.locator(`#paid-content[data-article='${id}']`).waitFor();
        assert.equal(await page.evaluate(() => document.body.dataset.scriptRan), "yes", "the real page");
      }
      assert.deepEqual(
        seen.map(({ path, value, status, skipped, type }) => ({
          path,
          paid: paysFirstPreload(value),
          status,
          skipped,
          type,
        })),
        [601, 602, 603].map((id) => ({
          path: `/articles/${id}`,
          paid: true,
          status: 200,
          skipped: false,
          type: "text/html; charset=UTF-8",
        })),
        "each page: its preload, paid, is the page",
      );
      assert.deepEqual(
        seen.map(({ value }) => decodePreloadPaymentHeader(value)?.payment.balance),
        carriedBalances,
        "each preload carried the channel's next balance",
      );
      assert.deepEqual(sent, [], "the worker sent no request of its own");
      assert.equal(site.charged(reader.channel), 4n * articlePrice, "each page charged once");
      // The worker recorded each: the next payment is the one after the third page.
      await nextPaymentCarried(page, 5n * articlePrice);
    } finally {
      await context.close();
    }
  });

  it("shows the full paywall page, never the skipped answer, where it holds no grant for the receiver", async () => {
    const context = await site.newContext();
    try {
      const seen = preloads(context, "/articles/");
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      await page.waitForFunction(() => "navigationTest" in window);
      const other = {
        chainId: site.chain.deployment.chainId,
        contract: site.chain.deployment.channelManager,
        receiver: "0x000000000000000000000000000000000000dEaD",
        sender: "0x000000000000000000000000000000000000bEEF",
      } as const;
      const granted = await page.evaluate((grant) => {
        const test = Reflect.get(window, "navigationTest") as { grantOtherReceiver(g: unknown): Promise<boolean> };
        return test.grantOtherReceiver(grant);
      }, other);
      assert.equal(granted, true);
      assert.equal(await preloadHeaderValue(page), navigationPreload.paysFirst);
      await page.reload(); // Now under the worker.

      // The first page teaches the worker the route; the second is under a route it knows, with no grant for it.
      for (const id of [610, 611]) {
        const response = await page.goto(`${site.url}/articles/${id}`);
        assert.equal(response?.status(), 402);
        await page.locator("#micro-raiden-paywall").waitFor();
      }
      assert.deepEqual(
        seen.map(({ path, skipped }) => ({ path, skipped })),
        [610, 611].map((id) => ({ path: `/articles/${id}`, skipped: true })),
        "the receiver skipped both preloads: the worker asked again",
      );
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: navigations that are more than a GET", () => {
  it("pays for a posted form with its body, and follows a redirect to a paid page", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/140" });
      await page.locator("#paid-content[data-article='140']").waitFor();

      await page.evaluate(() => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/comment";
        form.innerHTML = `<input name="text" value="paid, with its body">`;
        document.body.append(form);
        form.submit();
      });
      await page.locator("#posted").waitFor();
      assert.equal(await page.locator("#posted").textContent(), "paid, with its body");
      assert.equal(site.charged(reader.channel), 2n * articlePrice);

      await page.goto(`${site.url}/go/141`);
      await page.locator("#paid-content[data-article='141']").waitFor();
      assert.equal(page.url(), `${site.url}/articles/141`, "the browser followed the redirect");
      assert.equal(site.charged(reader.channel), 3n * articlePrice);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: the worker pays only whom the reader granted", () => {
  it("passes through a 402 naming another receiver or another contract, paying nothing", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/130" });
      await page.locator("#paid-content[data-article='130']").waitFor();
      for (const path of ["/foreign/receiver", "/foreign/contract"]) {
        const response = await page.goto(`${site.url}${path}`);
        assert.equal(response?.status(), 402);
        await page.locator("#foreign").waitFor();
      }
      assert.equal(site.charged(reader.channel), articlePrice, "only the granted receiver's article");
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: only this origin's pages", () => {
  it("refuses to pay for a page of another origin, which it could not deliver", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      const elsewhere = site.url.replace("127.0.0.1", "localhost");
      await site.startNavigation(page, reader, { from: "/", url: `${elsewhere}/articles/150` });
      await page.waitForFunction(() => sessionStorage.getItem("navigationTest:error") !== null);
      assert.match((await site.outcome(page)).error ?? "", /this origin only/);
      assert.equal(page.url(), `${site.url}/`);
      assert.equal(site.charged(reader.channel), 0n);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: releases and fallbacks", () => {
  it("replaces a Service Worker of an older release, which then pays", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    const current = await readFile(site.files.worker, "utf8");
    try {
      // An older release that intercepted nothing and does not speak this protocol.
      await site.replaceWorker(`self.addEventListener("install", (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", () => {});`);
      const page = await context.newPage();
      await page.goto(`${site.url}/`);
      await page.evaluate(async () => {
        await navigator.serviceWorker.register("/micro-raiden-sw.js", { scope: "/" });
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      assert.equal(
        await page.evaluate(() => navigator.serviceWorker.controller !== null),
        true,
        "the old one controls",
      );

      await site.replaceWorker(current);
      await site.startNavigation(page, reader, { from: "/", url: "/articles/90" });
      await page.locator("#paid-content[data-article='90']").waitFor();
      assert.equal((await site.outcome(page)).how, "worker");
      assert.equal(site.charged(reader.channel), articlePrice);
      await page.click("#next");
      await page.locator("#paid-content[data-article='91']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice);
    } finally {
      await site.replaceWorker(current);
      await context.close();
    }
  });

  it("without Service Workers (blocked) delivers the paid page with a one-time ticket", async () => {
    const reader = await site.newReader();
    const context = await site.newContext({ serviceWorkers: "block" });
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/100" });
      await page.locator("#paid-content[data-article='100']").waitFor();
      assert.equal(page.url(), `${site.url}/articles/100`);
      assert.equal(await page.evaluate(() => document.body.dataset.scriptRan), "yes");
      assert.deepEqual(await site.outcome(page).then((o) => [o.how, o.error]), ["ticket", null]);
      assert.equal(site.charged(reader.channel), articlePrice);
      const cookies = await context.cookies();
      assert.deepEqual(
        cookies.filter((c) => c.name === "rdn-ticket"),
        [],
        "the ticket is used up and cleared",
      );

      // A reload within the paid max-age shows the browser's own copy (the receiver answers its revalidation 304).
      const reload = await page.reload();
      assert.equal(reload?.status(), 200);
      await page.locator("#paid-content[data-article='100']").waitFor();
      // The ticket served one navigation: without that copy, a reload does not read for free (the paywall offers to
      // pay again).
      await (await context.newCDPSession(page)).send("Network.clearBrowserCache");
      const again = await page.reload();
      assert.equal(again?.status(), 402);
      assert.equal(site.charged(reader.channel), articlePrice);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation in wallet mode", () => {
  it("asks the wallet once for the page and hands the proof to the worker for that navigation", async () => {
    const reader = await site.newReader({ signing: "wallet" });
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/110", signing: "wallet" });
      await page.locator("#paid-content[data-article='110']").waitFor();
      const outcome = await site.outcome(page);
      assert.deepEqual([outcome.how, outcome.error], ["worker", null]);
      assert.equal(outcome.prompts.eth_signTypedData_v4, 1, "one signature prompt for one page");
      assert.equal(site.charged(reader.channel), articlePrice);

      // The proof was for that one navigation: the next page is the paywall's to ask for.
      await page.click("#next");
      await page.locator("#micro-raiden-paywall").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice);
    } finally {
      await context.close();
    }
  });
});

describe("paid navigation: the next page's payment in the preload header, against what changes meanwhile", () => {
  /** Revokes the payment worker from `page` (a page that loaded the test script). */
  const revoke = (page: Page) =>
    page.evaluate(() => {
      const test = Reflect.get(window, "navigationTest") as { revokePaymentWorker(): Promise<boolean> };
      return test.revokePaymentWorker();
    });

  it("revoked right after a payment, keeps no payment in the header and charges nothing more", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/900" });
      await page.locator("#paid-content[data-article='900']").waitFor();
      const control = await context.newPage();
      await control.goto(`${site.url}/`);
      await control.waitForFunction(() => "navigationTest" in window);
      await nextPaymentCarried(page, 2n * articlePrice);
      // Another tab works on the channel (a payment of its own): the worker records the page the preload paid, and
      // prepares the next payment, once that tab is done.
      const { chainId, contract, sender, receiver } = reader.channel;
      const lockName = `micro-raiden:${[chainId, contract, sender, receiver, 0].join(":").toLowerCase()}`;
      await control.evaluate(
        (name) =>
          new Promise<void>((held) => {
            void navigator.locks.request(name, () => {
              held();
              return new Promise<void>((release) => Reflect.set(window, "releaseLock", release));
            });
          }),
        lockName,
      );
      await page.click("#next");
      await page.locator("#paid-content[data-article='901']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice);
      // The reader revokes (another tab's settings) as the page they just paid appears.
      assert.equal(await revoke(control), true);
      assert.equal(await preloadHeaderValue(control), "true");
      // The next page shows the paywall (the worker learns the route's price from it).
      await page.goto(`${site.url}/articles/902`);
      await page.locator("#micro-raiden-paywall").waitFor();
      await control.evaluate(() => (Reflect.get(window, "releaseLock") as () => void)());
      // Whatever the worker was doing after that payment has finished by the time of the reader's next click.
      await page.waitForTimeout(1000);
      assert.equal(await preloadHeaderValue(control), "true", "no grant: the browser's default value, no payment");
      await page.goto(`${site.url}/articles/903`);
      await page.locator("#micro-raiden-paywall").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "nothing charged after the revoke");
    } finally {
      await context.close();
    }
  });

  it("charges a page once when the answer to its preload's payment is lost on the way (the same proof comes again)", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/dropping/1" });
      await page.locator("#paid-content[data-article='dropping-1']").waitFor();
      await nextPaymentCarried(page, 2n * articlePrice);
      // The receiver takes the payment the preload carries; its answer never reaches the browser, which sends the
      // preload again (or the worker its own request): the same proof for the same page, served again free.
      await page.click("#next");
      await page.locator("#paid-content[data-article='dropping-2']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "the page is charged once");
      // And the channel goes on from there.
      await nextPaymentCarried(page, 3n * articlePrice);
      await page.click("#next");
      await page.locator("#paid-content[data-article='dropping-3']").waitFor();
      assert.equal(site.charged(reader.channel), 3n * articlePrice);
    } finally {
      await context.close();
    }
  });

  // A reload's preload revalidates the browser's copy: a 402 (no-store) would drop it from the HTTP cache, and a later
  // navigation to the page (back, or a link) would then send its preload to the receiver carrying the next page's
  // payment. The receiver answers the revalidation of a copy paid within its max-age 304, and the copy stays.
  it("goes back to a kept page after reloading it, and opens it again by a link, without paying again", async () => {
    const reader = await site.newReader();
    const context = await site.newContext();
    try {
      const page = await context.newPage();
      await site.startNavigation(page, reader, { from: "/articles/910" });
      await page.locator("#paid-content[data-article='910']").waitFor();
      await nextPaymentCarried(page, 2n * articlePrice);
      await page.reload();
      await page.locator("#paid-content[data-article='910']").waitFor();
      assert.equal(site.charged(reader.channel), articlePrice, "a reload is not charged");
      await page.click("#next");
      await page.locator("#paid-content[data-article='911']").waitFor();
      await nextPaymentCarried(page, 3n * articlePrice);
      await page.goBack();
      await page.locator("#paid-content[data-article='910']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "back to a kept page: not charged again");
      await page.goto(`${site.url}/`);
      await page.goto(`${site.url}/articles/910`);
      await page.locator("#paid-content[data-article='910']").waitFor();
      assert.equal(site.charged(reader.channel), 2n * articlePrice, "a link to a kept page: not charged again");
    } finally {
      await context.close();
    }
  });
});
