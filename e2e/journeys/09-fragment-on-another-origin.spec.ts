// Journey 9: the script tag on a plain static site of another origin (paid-fragment mode). The reader pays through
// CORS and the paid part appears in the page, sanitized (the receiver's inline script does not run here), charged once.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectPrice } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("a static site of another origin sells a paid fragment: pay, reveal, charged once", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page } = reader;
  const url = `${world.siteUrl}/posts/1`;
  await page.goto(url);
  await expect(page.locator("#free-part")).toBeVisible();
  await expectPrice(page, "0.001 USDC");

  await connectAndOpen(page);
  const paid = page.locator("#paid-part");
  await expect(paid.getByRole("heading", { name: "Magazine article 1" })).toBeVisible({ timeout: 45_000 });
  await expect(paid.getByText("The whole article, paid for with a balance proof.")).toBeVisible();
  expect(page.url(), "the reader stays on the content site").toBe(url);
  expect(
    await page.evaluate(() => document.body.dataset.scriptRan),
    "the fragment's script did not run",
  ).toBeUndefined();
  expect((await onlyChannel(reader.address)).balance, "charged once").toBe(magazinePrice);
});
