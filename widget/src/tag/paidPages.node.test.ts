// What a reader sees as a payment goes through, in real Chromium with the script tag built from the sources and the
// demo's paid articles: a paid article reads in the 402 page's type (no jump from sans-serif to serif).
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
