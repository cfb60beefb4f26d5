// Journey 5: close and get the rest back. The reader pays for a fragment, then closes from the channel status: the
// receiver countersigns, the channel settles cooperatively on chain, the reader gets the rest and the receiver its
// due; the widget shows the reader's token balance.
import { channelOnChain, settlement, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen } from "../harness/paywall.ts";
import { onlyChannel, receiverChannel } from "../harness/receiverRecords.ts";
import { usdc } from "../harness/usdc.ts";

test("close and get the rest back: cooperative close on chain, both balances right", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page } = reader;
  await page.goto(`${world.siteUrl}/posts/2`);
  await connectAndOpen(page);
  await expect(page.getByText("The whole article, paid for with a balance proof.")).toBeVisible({ timeout: 45_000 });
  const channel = await onlyChannel(reader.address);
  expect(channel.balance).toBe(magazinePrice);

  await page.getByRole("button", { name: "Close and get the rest back" }).click();
  // The refund as the chain paid it out, never the balance from before it.
  await expect(page.getByText(/^Channel closed: 0\.099 USDC came back to you\.$/)).toBeVisible({ timeout: 45_000 });

  expect(await tokenBalance(reader.address), "the reader got everything but the article back").toBe(
    usdc("10") - magazinePrice,
  );
  // Other journeys pay the same receiver meanwhile: its share is read from this channel's settlement.
  const settled = await settlement(reader.address, world.receiverAddress, channel.openBlock);
  expect(settled?.balance).toBe(magazinePrice);
  expect(settled?.senderRefund).toBe(channel.deposit - magazinePrice);
  expect(settled?.receiverPayout, "the receiver got the article (it had withdrawn nothing)").toBe(magazinePrice);
  expect((await channelOnChain(reader.address, world.receiverAddress, channel.openBlock)).deposit, "settled").toBe(0n);
  await expect.poll(async () => (await receiverChannel(channel)).state).toBe("settled");
});
