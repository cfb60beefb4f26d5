// Paid navigation in real Chromium: the Service Worker built as released, served by the real receiver on a real
// chain. The reader gets the real article (its script ran, the URL is the article's), follows links with no prompt
// and no paywall, is charged exactly once per page, and sees the paywall (never a blank page) when a payment
// cannot be made.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { articlePrice, type NavigationTestSite, startNavigationTestSite } from "./navigationTestSite.test-helper.ts";

let site: NavigationTestSite;
before(async () => {
  site = await startNavigationTestSite();
});
after(() => site?.close());

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
