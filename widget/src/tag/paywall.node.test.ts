// The script tag in real Chromium, built from the sources as a site gets it: it mounts itself on the receiver's
// 402 page, keeps the content site's CSS out and its own in, and on a static site of another origin buys a paid
// fragment through CORS and shows it without running anything the fragment carries.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { articles, demoPrice } from "@micro-raiden/demo-server";
import type { Locator } from "playwright";
import { fragmentPrice, startTagTestSite, type TagTestSite } from "./tagTestSite.test-helper.ts";

let site: TagTestSite;
before(async () => {
  site = await startTagTestSite();
});
after(() => site?.close());

/** Waits until `locator`'s elements read `expected`, in order (the widget re-reads the channel every 2 s). */
async function waitForTexts(locator: Locator, expected: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  let actual: string[] = [];
  while (Date.now() < deadline) {
    actual = await locator.allTextContents();
    if (actual.join("|") === expected.join("|")) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.deepEqual(actual, expected);
}

/** A static page of the content site that includes the tag from the receiver. */
function contentPage(body: string, head = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title>${head}</head>
<body>${body}<script src="${site.receiverUrl}/micro-raiden/paywall.js" async></script></body></html>`;
}

describe("script tag: the receiver's 402 page", () => {
  it("mounts on #micro-raiden-paywall, in a shadow root, with the price in tokens", async () => {
    const reader = await site.newReader();
    try {
      const response = await reader.page.goto(`${site.receiverUrl}/articles/1`);
      assert.equal(response?.status(), 402);
      const paywall = reader.page.locator("#micro-raiden-paywall");
      await paywall.getByText("This page costs 0.001 USDC.").waitFor();
      assert.equal(await paywall.evaluate((element) => element.shadowRoot?.mode), "open");
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).waitFor();
    } finally {
      await reader.close();
    }
  });

  it("once the reader opens a channel, loads the paid article as the real document at the same URL", async () => {
    const reader = await site.newReader();
    try {
      const url = `${site.receiverUrl}/articles/2`;
      await reader.page.goto(url);
      const paywall = reader.page.locator("#micro-raiden-paywall");
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).click();
      await paywall.getByRole("button", { name: /^Open a channel with/ }).click();
      // The 402 page's teaser has the same heading: wait for the article's own text.
      await reader.page.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });
      await reader.page.getByRole("heading", { name: "Payment channels in five minutes" }).waitFor();
      assert.equal(reader.page.url(), url);
      assert.equal(await reader.page.locator("#micro-raiden-paywall").count(), 0);
      const [channel] = site.receiver.listChannels({ sender: reader.address });
      assert.equal(channel?.balance, demoPrice(articles[1].price, site.receiver.token.decimals));
    } finally {
      await reader.close();
    }
  });
});

describe("script tag: the status bar on the receiver's paid pages", () => {
  it("shows deposit, spent and remaining, and follows the Service Worker's payment for the next article", async () => {
    const reader = await site.newReader();
    try {
      const { page } = reader;
      await page.goto(`${site.receiverUrl}/articles/1`);
      const paywall = page.locator("#micro-raiden-paywall");
      await paywall.getByRole("button", { name: "Connect Test Wallet" }).click();
      // The suggested deposit: 100 × the first article's 0.001 USDC. The site declares its dearest article's price
      // on the 402 page (data-max-price): that is what the channel pays automatically.
      await paywall
        .getByRole("radio", { name: "Automatically, up to 0.005 USDC a page (no prompt per page)" })
        .waitFor();
      await paywall.getByRole("button", { name: "Open a channel with 0.1 USDC" }).click();

      const bar = page.locator("#micro-raiden-status");
      const figures = bar.locator("dd");
      await page.getByText("The whole article, paid for with a balance proof.").waitFor({ timeout: 90_000 });
      await bar.getByRole("heading", { name: "Payment channel" }).waitFor();
      await waitForTexts(figures, ["0.1 USDC", "0.001 USDC", "0.099 USDC"]);
      // Counted at the price the reader accepted, so the figure does not jump from article to article.
      await bar.getByText("About 19 pages left at 0.005 USDC a page").waitFor();
      assert.equal(await bar.evaluate((element) => element.shadowRoot?.mode), "open");

      // The next article (0.002 USDC) is paid by the Service Worker as the page loads: no paywall, and the new
      // document's bar counts both articles.
      await page.getByRole("link", { name: /^Next: Payment channels in five minutes/ }).click();
      await page.waitForURL(`${site.receiverUrl}/articles/2`);
      await page.getByRole("heading", { name: "Payment channels in five minutes" }).waitFor();
      assert.equal(await page.locator("#micro-raiden-paywall").count(), 0);
      await waitForTexts(figures, ["0.1 USDC", "0.003 USDC", "0.097 USDC"]);
      await bar.getByText("About 19 pages left at 0.005 USDC a page").waitFor();
      await bar.getByRole("button", { name: "Close and get the rest back" }).waitFor();
      const [channel] = site.receiver.listChannels({ sender: reader.address });
      assert.equal(
        channel?.balance,
        demoPrice(articles[0].price, site.receiver.token.decimals) +
          demoPrice(articles[1].price, site.receiver.token.decimals),
      );
    } finally {
      await reader.close();
    }
  });
});

describe("script tag: on a content site", () => {
  it("keeps the site's CSS out of the widget and the widget's CSS out of the site", async () => {
    const reader = await site.newReader();
    try {
      const url = site.sitePage(
        "/styled",
        contentPage(
          `<p id="site-text">The site's own text.</p>
           <div data-micro-raiden-src="${site.receiverUrl}/fragments/hostile">Subscribers read on…</div>`,
          `<style>
             body { color: rgb(255, 0, 0); font: 40px/3 serif; text-transform: uppercase; }
             * { letter-spacing: 4px !important; }
             p, button, h2, div { color: rgb(255, 0, 0) !important; background: rgb(255, 255, 0) !important; }
           </style>`,
        ),
      );
      await reader.page.goto(url);
      const price = reader.page.getByText(`This page costs 0.001 USDC.`);
      await price.waitFor();
      const inside = await price.evaluate((element) => {
        const style = getComputedStyle(element);
        return {
          color: style.color,
          size: style.fontSize,
          transform: style.textTransform,
          spacing: style.letterSpacing,
        };
      });
      assert.notEqual(inside.color, "rgb(255, 0, 0)");
      assert.notEqual(inside.size, "40px");
      assert.equal(inside.transform, "none");
      assert.equal(inside.spacing, "normal");
      // The widget's own stylesheet (margins and colours for its paragraphs and buttons) stays inside.
      const outside = await reader.page.locator("#site-text").evaluate((element) => {
        const style = getComputedStyle(element);
        return { color: style.color, size: style.fontSize, margin: style.marginTop };
      });
      assert.deepEqual(outside, { color: "rgb(255, 0, 0)", size: "40px", margin: "40px" });
    } finally {
      await reader.close();
    }
  });

  it("on a site the receiver does not list, reads nothing and says why", async () => {
    const reader = await site.newReader();
    try {
      const listed = site.sitePage(
        "/unlisted",
        contentPage(`<div id="paid" data-micro-raiden-src="${site.receiverUrl}/fragments/hostile">Read on…</div>`),
      );
      // The same static site reached as 127.0.0.1 is another origin, one the receiver's CORS does not name.
      const unlisted = listed.replace("//localhost:", "//127.0.0.1:");
      await reader.page.goto(unlisted);
      await reader.page.locator("#paid").getByRole("alert").filter({ hasText: "does not allow this site" }).waitFor();
      assert.deepEqual(site.receiver.listChannels({ sender: reader.address }), []);
    } finally {
      await reader.close();
    }
  });

  it("buys a paid fragment from the receiver's origin and shows it, running nothing it carries", async () => {
    const reader = await site.newReader();
    try {
      const url = site.sitePage(
        "/post",
        contentPage(
          `<h1>A static post</h1><p>The free part.</p>
           <div id="paid" data-micro-raiden-src="${site.receiverUrl}/fragments/hostile">Subscribers read on…</div>`,
        ),
      );
      assert.notEqual(new URL(url).origin, new URL(site.receiverUrl).origin);
      await reader.page.goto(url);
      const paid = reader.page.locator("#paid");
      await paid.getByText("This page costs 0.001 USDC.").waitFor();
      await paid.getByRole("button", { name: "Connect Test Wallet" }).click();
      await paid.getByRole("button", { name: /^Open a channel with/ }).click();
      await paid.getByText("Worth every token.").waitFor({ timeout: 90_000 });

      // Use every trap the fragment set, then look for any sign that one went off.
      await paid.locator("#js-link").click();
      await paid.getByText("hover").hover();
      await reader.page.waitForTimeout(300);
      assert.equal(await reader.page.evaluate(() => (window as { pwned?: unknown }).pwned), undefined);
      assert.equal(reader.page.url(), url);
      const markup = await paid.evaluate((element) => element.shadowRoot?.innerHTML ?? "");
      assert.doesNotMatch(markup, /<script|<iframe|<svg|\son[a-z]+=|javascript:/i);

      // Paid once, for the fragment's price, on one channel: what the receiver stored.
      const channels = site.receiver.listChannels({ sender: reader.address });
      assert.equal(channels.length, 1);
      assert.equal(channels[0]?.balance, fragmentPrice(site.receiver.token.decimals));
    } finally {
      await reader.close();
    }
  });
});
