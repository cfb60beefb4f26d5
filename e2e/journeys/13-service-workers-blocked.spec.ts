// Journey 13: Service Workers blocked (some private windows, policies). The documented fallback (a one-time ticket
// after the page paid itself) still delivers the paid article as a real document; the next article is paid from its
// paywall with the session key, without a wallet prompt; each is charged once.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, followNext } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("with Service Workers blocked the fallback delivers paid articles, each charged once", async ({
  newReader,
  world,
}) => {
  const reader = await newReader({ serviceWorkers: "block" });
  const { page, wallet } = reader;
  const url = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  await page.goto(url(1));
  expect(await page.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
  await connectAndOpen(page);
  await expectArticle(page, url(1), 1);
  expect((await onlyChannel(reader.address)).balance).toBe(magazinePrice);
  const prompts = wallet.promptCount();

  await followNext(page, url(2), 2);
  expect((await onlyChannel(reader.address)).balance, "the second article charged once").toBe(2n * magazinePrice);
  expect(wallet.promptCount(), "the session key paid: no prompt").toBe(prompts);
});
