// Journey 14: the receiver's process is killed and started again between two paid articles: the reader carries on
// with no prompt and no double charge (the proofs are in the receiver's durable store).
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { expectArticle, readFirstArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { startOwnReceiver } from "../harness/startOwnReceiver.ts";

test("a receiver restart between two articles: no prompt, no double charge", async ({ newReader, world }) => {
  const receiver = await startOwnReceiver(world, 3);
  try {
    const reader = await newReader();
    const { page, wallet } = reader;
    const url = await readFirstArticle(page, receiver.url);
    const prompts = wallet.promptCount();

    await receiver.restart();
    expect((await onlyChannel(reader.address, receiver.url)).balance, "the payment survived the kill").toBe(
      magazinePrice,
    );
    await page.locator("#next").click();
    await expectArticle(page, url(2), 2);
    expect((await onlyChannel(reader.address, receiver.url)).balance).toBe(2n * magazinePrice);
    expect(wallet.promptCount(), "no prompt after the restart").toBe(prompts);
  } finally {
    await receiver.stop();
  }
});
