// Journey 2: after the first paid article, three more by following links: no wallet prompt at all, each article
// charged exactly once, and the receiver's stored balance and the chain agree.
import { channelOnChain } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("three more paid articles by links: zero prompts, each charged once", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  await page.goto(url(1));
  await connectAndOpen(page);
  await expectArticle(page, url(1), 1);
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

test.fixme("the status bar on a paid article shows deposit, spent and remaining", async () => {
  // Missing in the widget: a paid article loaded as a document (the receiver's 200 page) carries no status bar
  // (issue 10, item 7); only paid fragments and React apps render <ChannelStatus>.
});
