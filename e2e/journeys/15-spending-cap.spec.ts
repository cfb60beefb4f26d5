// Journey 15: what the channel pays without asking. The reader opened "Automatically" on a 0.001 USDC article; a
// special issue at 0.005 USDC is not paid on the way: its paywall says why and the reader decides, with no wallet
// prompt. The next ordinary article is paid automatically again.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice, specialPath, specialPrice } from "../harness/magazineRoutes.ts";
import { expectArticle, readFirstArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("a page priced above what the channel pays automatically asks first, and is paid once when approved", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);
  const promptsAfterOpen = wallet.promptCount();
  await expect(page.getByText("Pays automatically up to 0.001 USDC a page, 30 pages a minute.")).toBeVisible({
    timeout: 45_000,
  });

  const special = `${world.receiverUrl}${specialPath(1)}`;
  await page.goto(special);
  await expect(
    page.getByText("This page costs 0.005 USDC, more than the 0.001 USDC a page your channel pays automatically."),
  ).toBeVisible({ timeout: 45_000 });
  expect((await onlyChannel(reader.address)).balance, "nothing paid before the reader decides").toBe(magazinePrice);

  await page.getByRole("button", { name: "Pay 0.005 USDC for this page" }).click();
  await expectArticle(page, special, 1);
  expect((await onlyChannel(reader.address)).balance, "the special issue charged once").toBe(
    magazinePrice + specialPrice,
  );

  // Its "Next article" link goes to an ordinary article: paid on the way again.
  await page.locator("#next").click();
  await expectArticle(page, url(2), 2);
  expect((await onlyChannel(reader.address)).balance).toBe(2n * magazinePrice + specialPrice);
  expect(wallet.promptCount(), "approving asks the wallet nothing").toBe(promptsAfterOpen);
});
