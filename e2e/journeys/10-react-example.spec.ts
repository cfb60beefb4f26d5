// Journey 10: the React component inside the example app (widget/example/, built by global setup from the workspace's
// widget and served on the content site's origin). The app reads the receiver's 402 over CORS and hands it to
// <Paywall>; the reader connects, deposits in one transaction (with USDC's permit), and the app shows the paid article
// with the channel's status. A second, pricier article is paid from the same channel once the reader approves its price, with no wallet
// prompt; the receiver charged each once.
import { demoPrice } from "@micro-raiden/demo-server";
import { channelOnChain, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { connectAndOpen, expectNoFailure, expectPrice } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { usdc, usdcDecimals } from "../harness/usdc.ts";

// The demo's articles the example sells (demo-server's prices, in USDC's base units).
const firstPrice = demoPrice("0.001", usdcDecimals);
const secondPrice = demoPrice("0.002", usdcDecimals);

test("the React example app: the Paywall component pays and the app reveals the article", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const appUrl = `${world.siteUrl}/static/example/`;

  await page.goto(appUrl);
  await expect(page.getByRole("heading", { name: "Paid reading, in a React app" })).toBeVisible();
  await expectPrice(page, "0.001 USDC");
  expect(wallet.promptCount(), "no prompt before the reader asks").toBe(0);

  await connectAndOpen(page);
  const article = page.locator("article");
  const firstTitle = article.getByRole("heading", { name: "Why micropayments failed, and why they might not now" });
  await expect(firstTitle.or(page.getByRole("alert").filter({ hasText: /\S/ })).first()).toBeVisible({
    timeout: 45_000,
  });
  await expectNoFailure(page);
  await expect(article.getByText("The whole article, paid for with a balance proof.")).toBeVisible();
  expect(page.url(), "the reader stays in the app").toBe(appUrl);

  expect(wallet.prompts.eth_requestAccounts).toBe(1);
  expect(wallet.prompts.eth_sendTransaction, "the deposit is one transaction").toBe(1);
  expect(wallet.signedTypes, "and USDC's permit its one signature").toEqual(["Permit"]);
  expect(wallet.promptCount(), "connect, permit, transaction: nothing else").toBe(3);
  const promptsAfterOpen = wallet.promptCount();

  const opened = await onlyChannel(reader.address);
  expect(opened.state).toBe("open");
  expect(opened.balance, "charged once, for one article").toBe(firstPrice);
  const onChain = await channelOnChain(reader.address, world.receiverAddress, opened.openBlock);
  expect(onChain.deposit, "the chain holds the deposit the receiver knows").toBe(opened.deposit);
  expect(await tokenBalance(reader.address)).toBe(usdc("10") - opened.deposit);

  // The second article costs more than the channel pays automatically (the first article's price, as the reader
  // chose when opening): the app's Paywall asks, and the reader's click approves it. The session key pays, no wallet
  // prompt.
  await page.getByRole("button", { name: "Payment channels in five minutes" }).click();
  await expect(
    page.getByText("This page costs 0.002 USDC, more than the 0.001 USDC a page your channel pays automatically."),
  ).toBeVisible({ timeout: 45_000 });
  expect((await onlyChannel(reader.address)).balance, "nothing paid before the reader approves").toBe(firstPrice);
  await page.getByRole("button", { name: "Pay 0.002 USDC for this page" }).click();
  const secondTitle = article.getByRole("heading", { name: "Payment channels in five minutes" });
  await expect(secondTitle.or(page.getByRole("alert").filter({ hasText: /\S/ })).first()).toBeVisible({
    timeout: 45_000,
  });
  await expectNoFailure(page);
  expect(wallet.promptCount(), "the second article asks the wallet nothing").toBe(promptsAfterOpen);
  await expect(
    page.getByRole("region", { name: "Payment channel" }).getByText("0.003 USDC"),
    "the channel's status shows what both articles cost",
  ).toBeVisible();

  const after = await onlyChannel(reader.address);
  expect(after.openBlock, "the same channel").toBe(opened.openBlock);
  expect(after.balance, "each article charged once").toBe(firstPrice + secondPrice);
});
