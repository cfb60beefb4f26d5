// Journey 2: after the first paid article, three more by following links: no wallet prompt at all, each article
// charged exactly once, and the receiver's stored balance and the chain agree.
import { channelOnChain } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { expectArticle, readFirstArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("three more paid articles by links: zero prompts, each charged once", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);
  const promptsAfterOpen = wallet.promptCount();

  for (const id of [2, 3, 4]) {
    await page.locator("#next").click();
    await expectArticle(page, url(id), id);
    expect((await onlyChannel(reader.address)).balance, `article ${id} charged once`).toBe(BigInt(id) * magazinePrice);
  }
  expect(wallet.promptCount(), "no wallet prompt while following links").toBe(promptsAfterOpen);

  const stored = await onlyChannel(reader.address);
  const onChain = await channelOnChain(reader.address, world.receiverAddress, stored.openBlock);
  expect(onChain.deposit, "the chain holds the deposit the receiver counts against").toBe(stored.deposit);
  expect(stored.deposit - stored.balance).toBe(96n * magazinePrice);
});

test("the status bar on a paid article shows deposit, spent and remaining", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);
  const bar = page.locator("#micro-raiden-status");
  // The suggested deposit is 100 articles: 0.1 USDC.
  await expect(bar.locator("dd")).toHaveText(["0.1 USDC", "0.001 USDC", "0.099 USDC"], { timeout: 45_000 });
  await expect(bar.getByText("About 99 pages left at 0.001 USDC a page")).toBeVisible();

  // The next article is paid on the way (the Service Worker): its page's bar counts it.
  await page.locator("#next").click();
  await expectArticle(page, url(2), 2);
  await expect(bar.locator("dd")).toHaveText(["0.1 USDC", "0.002 USDC", "0.098 USDC"], { timeout: 45_000 });
  await expect(bar.getByText("About 98 pages left at 0.001 USDC a page")).toBeVisible();
  await expect(bar.getByRole("button", { name: "Close and get the rest back" })).toBeVisible();
  expect((await onlyChannel(reader.address)).balance).toBe(2n * magazinePrice);
});

test("after the reader disconnects the wallet, the next link shows the paywall and charges nothing", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);
  await page.locator("#next").click();
  await expectArticle(page, url(2), 2);
  // The status bar is the widget on this page: it has the account once the wallet reconnected.
  await expect(page.getByRole("button", { name: "Close and get the rest back" })).toBeVisible({ timeout: 45_000 });

  await wallet.disconnect(page);
  // The bar stops offering the channel's actions once the widget heard the wallet let go.
  await expect(page.getByRole("button", { name: "Close and get the rest back" })).toHaveCount(0, { timeout: 20_000 });
  await page.locator("#next").click();
  await expect(page.locator("#micro-raiden-paywall")).toBeVisible({ timeout: 45_000 });
  expect(page.url()).toBe(url(3));
  await expect(page.locator("#article")).toHaveCount(0);
  expect((await onlyChannel(reader.address)).balance, "nothing paid after the disconnect").toBe(2n * magazinePrice);
});
