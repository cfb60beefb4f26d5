// What a reader sees as a payment goes through, in real Chromium with the script tag built from the sources and the
// demo's paid articles: a paid fragment on a content site shows the article once (not its title again, nor the paid
// page around it), and a paid article reads in the 402 page's type (no jump from sans-serif to serif).
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
      const fragment = await paid.evaluate((element) => element.shadowRoot?.querySelector(".micro-raiden-fragment"));
      assert.ok(fragment);
      assert.equal(
        await paid.evaluate((element) => element.shadowRoot?.querySelectorAll(".micro-raiden-fragment [id]").length),
        0,
      );
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
