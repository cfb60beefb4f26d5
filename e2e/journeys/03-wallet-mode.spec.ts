// Journey 3: wallet mode ("confirm each payment in my wallet"): exactly one eth_signTypedData_v4 prompt per article.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, followNext } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

test("wallet mode: one signature prompt per article, each charged once", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  await page.goto(url(1));
  await connectAndOpen(page, { wallet: true });
  await expectArticle(page, url(1), 1);
  // USDC's permit opened the channel (with the reader's transaction); the article's payment is the second signature.
  expect(wallet.signedTypes).toEqual(["Permit", "BalanceProof"]);
  expect((await onlyChannel(reader.address)).balance).toBe(magazinePrice);

  for (const id of [2, 3]) {
    const before = wallet.prompts.eth_signTypedData_v4;
    await followNext(page, url(id), id);
    expect(wallet.prompts.eth_signTypedData_v4 - before, `one prompt for article ${id}`).toBe(1);
    expect((await onlyChannel(reader.address)).balance).toBe(BigInt(id) * magazinePrice);
  }
  expect(wallet.prompts.eth_sendTransaction, "no transaction after the open").toBe(1);
});

// Some wallets drop EIP-1193's 4001 and only say it in words: still a rejection, and never a dead end.
test("wallet mode: a payment the reader refuses says so, with a retry that pays", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = (id: number) => `${world.receiverUrl}${magazinePath(id)}`;
  await page.goto(url(1));
  await connectAndOpen(page, { wallet: true });
  await expectArticle(page, url(1), 1);

  wallet.rejectNext("eth_signTypedData_v4", 1, -32603);
  await page.locator("#next").click();
  await expect(page.getByText("You rejected the request in your wallet. Nothing was charged.")).toBeVisible({
    timeout: 45_000,
  });
  await expect(page.getByText("Your channel is open. You can read paid pages now.")).toHaveCount(0);
  expect((await onlyChannel(reader.address)).balance, "nothing charged for the refused page").toBe(magazinePrice);

  await page.getByRole("button", { name: "Try again" }).click();
  await expectArticle(page, url(2), 2);
  expect((await onlyChannel(reader.address)).balance).toBe(2n * magazinePrice);
});
