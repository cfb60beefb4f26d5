// Journey 6: the reader rejects in the wallet — the signature, then the transaction. Each time a plain sentence says
// so, nothing is charged or deposited, and "Try again" works.
import { tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle } from "../harness/paywall.ts";
import { onlyChannel, receiverChannels } from "../harness/receiverRecords.ts";
import { usdc } from "../harness/usdc.ts";

const rejected = "You rejected the request in your wallet. Nothing was charged.";

test("rejecting the signature, then the transaction: a clear sentence, nothing charged, retry works", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = `${world.receiverUrl}${magazinePath(1)}`;
  await page.goto(url);

  // USDC's permit signature first (the deposit asks for it before the transaction).
  wallet.rejectNext("eth_signTypedData_v4");
  await connectAndOpen(page);
  await expect(page.getByText(rejected)).toBeVisible();
  expect(wallet.prompts.eth_sendTransaction, "no transaction after a refused signature").toBe(0);

  wallet.rejectNext("eth_sendTransaction");
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByText(rejected)).toBeVisible();
  expect(wallet.prompts.eth_sendTransaction).toBe(1);
  expect(await tokenBalance(reader.address), "nothing deposited").toBe(usdc("10"));
  expect(await receiverChannels(reader.address), "no channel at the receiver").toEqual([]);

  await page.getByRole("button", { name: "Try again" }).click();
  await expectArticle(page, url, 1);
  expect(wallet.prompts.eth_sendTransaction).toBe(2);
  expect((await onlyChannel(reader.address)).balance, "charged once, for the article").toBe(magazinePrice);
});

test("rejecting the connection: the same sentence, and connecting again works", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  await page.goto(`${world.receiverUrl}${magazinePath(1)}`);
  wallet.rejectNext("eth_requestAccounts");
  await page.getByRole("button", { name: /^Connect / }).click();
  await expect(page.getByText(/rejected/)).toBeVisible();
  await page
    .getByRole("button", { name: /^(Try again|Connect )/ })
    .first()
    .click();
  await expect(page.getByRole("button", { name: /^Open a channel with/ })).toBeVisible();
  expect(wallet.prompts.eth_requestAccounts).toBe(2);
});
