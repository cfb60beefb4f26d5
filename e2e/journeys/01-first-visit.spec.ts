// Journey 1: a first visit to a paid article → the paywall → connect → deposit in one transaction → the real article
// (its inline script ran, the URL is the article's). The receiver stored one payment; the chain holds the deposit.
// The receiver does not sponsor opens here: a reader with ether deposits with USDC's permit (one signature) and one
// transaction. The sponsored open, one signature and no transaction, is journey 1b's.
import { channelOnChain, mine, setAutomine, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, expectPrice } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { usdc } from "../harness/usdc.ts";

test("first visit: paywall, connect, one-transaction deposit, then the real article", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = `${world.receiverUrl}${magazinePath(1)}`;

  const first = await page.goto(url);
  expect(first?.status()).toBe(402);
  await expect(page.locator("#micro-raiden-paywall")).toBeVisible();
  await expectPrice(page, "0.001 USDC");
  expect(wallet.promptCount(), "no prompt before the reader asks").toBe(0);

  await connectAndOpen(page);
  await expectArticle(page, url, 1);

  expect(wallet.prompts.eth_requestAccounts).toBe(1);
  expect(wallet.prompts.eth_sendTransaction, "the deposit is one transaction").toBe(1);
  expect(wallet.signedTypes, "and USDC's permit its one signature").toEqual(["Permit"]);
  expect(wallet.promptCount(), "connect, permit, transaction: nothing else").toBe(3);

  const deposit = magazinePrice * 100n;
  const stored = await onlyChannel(reader.address);
  expect(stored.state).toBe("open");
  expect(stored.deposit).toBe(deposit);
  expect(stored.balance, "charged once, for one article").toBe(magazinePrice);
  const onChain = await channelOnChain(reader.address, world.receiverAddress, stored.openBlock);
  expect(onChain.deposit).toBe(deposit);
  expect(await tokenBalance(reader.address)).toBe(usdc("10") - deposit);
});

// On a live chain the deposit waits seconds for its block, and this page's chain watcher may see the new channel
// before the open has its receipt. The paywall must wait for the open (which holds the session key) instead of
// paying, and navigating away, with the channel as the watcher stored it: the next article is then paid with no
// prompt. The node's automine is off for a moment (other workers' transactions wait that long too).
test("a deposit that waits for its block: the session key still pays the next article, no prompt", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  await page.goto(url(1));
  const release = wallet.holdNext("eth_sendTransaction");
  await connectAndOpen(page);
  await setAutomine(false);
  try {
    release();
    await expect(page.getByText(/^Transaction sent/)).toBeVisible({ timeout: 45_000 });
    // Long enough for the page's watchers to poll the pending block a few times.
    await page.waitForTimeout(1_500);
  } finally {
    await setAutomine(true);
    await mine(1);
  }
  await expectArticle(page, url(1), 1);
  const prompts = wallet.promptCount();
  await page.locator("#next").click();
  await expectArticle(page, url(2), 2);
  expect(wallet.promptCount(), `no prompt for the next article: ${JSON.stringify(wallet.prompts)}`).toBe(prompts);
  expect((await onlyChannel(reader.address)).balance).toBe(2n * magazinePrice);
});
