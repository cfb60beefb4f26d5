// Journey 9: the script tag on a plain static site of another origin (paid-fragment mode). The reader pays through
// CORS and the paid part appears in the page, sanitized (the receiver's inline script does not run here), charged once.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, connectButton, expectArticle, expectPrice, magazineUrls } from "../harness/paywall.ts";
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

test("the channel the fragment opened pays on the receiver's own pages after one signature, no transaction", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  await page.goto(`${world.siteUrl}/posts/1`);
  await connectAndOpen(page);
  await expect(page.locator("#paid-part").getByRole("heading", { name: "Magazine article 1" })).toBeVisible({
    timeout: 45_000,
  });

  // The receiver's own pages: another origin, whose storage does not hold the fragment's session key.
  const url = magazineUrls(world.receiverUrl);
  await page.goto(url(1));
  // Like MetaMask, the wallet allows each site on its own: the reader connects here once.
  await connectButton(page).click();
  const delegateHere = page.getByRole("button", { name: "Pay automatically here too (one signature, no fee)" });
  await expect(delegateHere).toBeVisible({ timeout: 45_000 });
  const before = { ...wallet.prompts };
  await delegateHere.click();
  await expectArticle(page, url(1), 1);
  expect(wallet.prompts.eth_signTypedData_v4 - before.eth_signTypedData_v4, "one signature: the delegation").toBe(1);
  expect(wallet.prompts.eth_sendTransaction - before.eth_sendTransaction, "no transaction").toBe(0);
  // The next article on this origin asks nothing.
  const signatures = wallet.prompts.eth_signTypedData_v4;
  await page.locator("#next").click();
  await expectArticle(page, url(2), 2);
  expect(wallet.prompts.eth_signTypedData_v4, "the next article is paid without a prompt").toBe(signatures);
  expect((await onlyChannel(reader.address)).balance, "three pages, each charged once").toBe(3n * magazinePrice);
});
