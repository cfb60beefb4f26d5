// Journey 1: a first visit to a paid article → the paywall → connect → deposit in one transaction → the real article
// (its inline script ran, the URL is the article's). The receiver stored one payment; the chain holds the deposit.
import { channelOnChain, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, expectPrice } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

const ether = 10n ** 18n;

test("first visit: paywall, connect, one-transaction deposit, then the real article", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = `${world.receiverUrl}${magazinePath(1)}`;

  const first = await page.goto(url);
  expect(first?.status()).toBe(402);
  await expect(page.locator("#micro-raiden-paywall")).toBeVisible();
  await expectPrice(page, "0.001 TKN");
  expect(wallet.promptCount(), "no prompt before the reader asks").toBe(0);

  await connectAndOpen(page);
  await expectArticle(page, url, 1);

  expect(wallet.prompts.eth_requestAccounts).toBe(1);
  expect(wallet.prompts.eth_sendTransaction, "the deposit is one transaction").toBe(1);
  expect(wallet.prompts.eth_signTypedData_v4, "at most the permit's signature").toBeLessThanOrEqual(1);

  const deposit = magazinePrice * 100n;
  const stored = await onlyChannel(reader.address);
  expect(stored.state).toBe("open");
  expect(stored.deposit).toBe(deposit);
  expect(stored.balance, "charged once, for one article").toBe(magazinePrice);
  const onChain = await channelOnChain(reader.address, world.receiverAddress, stored.openBlock);
  expect(onChain.deposit).toBe(deposit);
  expect(await tokenBalance(reader.address)).toBe(10n * ether - deposit);
});
