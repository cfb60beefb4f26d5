// Journey 4: the deposit runs low → the channel status offers a top-up → the reader tops up → reading continues on
// the same channel. Read on the content site, whose paid fragments show the channel status.
import { channelOnChain } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectNoFailure } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

const paidText = "The whole article, paid for with a balance proof.";

test("a low deposit offers a top-up; after it, reading continues on the same channel", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  // Six pages' worth: after two, four remain, fewer than the five the status bar warns at.
  await page.goto(`${world.siteUrl}/posts/1`);
  await connectAndOpen(page, { deposit: "0.006" });
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText("Your deposit is running low.")).toHaveCount(0);

  await page.goto(`${world.siteUrl}/posts/2`);
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText("Your deposit is running low.")).toBeVisible();
  const before = await onlyChannel(reader.address);
  expect(before.balance).toBe(2n * magazinePrice);
  const transactions = wallet.prompts.eth_sendTransaction;

  await page.getByRole("button", { name: /^Add / }).click();
  await expect(page.getByText("Your deposit is running low.")).toHaveCount(0, { timeout: 45_000 });
  await expectNoFailure(page);
  expect(wallet.prompts.eth_sendTransaction, "the top-up is one transaction").toBe(transactions + 1);
  const onChain = await channelOnChain(reader.address, world.receiverAddress, before.openBlock);
  expect(onChain.deposit).toBeGreaterThan(before.deposit);
  await expect.poll(async () => (await onlyChannel(reader.address)).deposit).toBe(onChain.deposit);

  await page.goto(`${world.siteUrl}/posts/3`);
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  const after = await onlyChannel(reader.address);
  expect(after.openBlock, "the same channel").toBe(before.openBlock);
  expect(after.balance).toBe(3n * magazinePrice);
});
