// `npm run screenshots`: every state of the paywall a reader meets, and the paid pages, as PNGs in
// widget/docs/screenshots/ (the widget README shows the main ones). Run against the same world as the journeys: the
// real chain, receiver (the demo's articles) and content site, with the MetaMask-like wallet. One worker: the
// "transaction sent" shot stops the chain's automine for a moment, which would stall other readers' transactions. The
// journeys' token, USDC: it has no faucet, so a reader without it is told where to get it.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { mine, setAutomine } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { connectAndOpen, connectButton, openButton } from "../harness/paywall.ts";

const screenshots = fileURLToPath(new URL("../../widget/docs/screenshots/", import.meta.url));
const paidText = "The whole article, paid for with a balance proof.";

/** Saves the viewport as `name`.png once fonts are in and nothing animates. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshots, `${name}.png`), animations: "disabled", caret: "hide" });
}

test("the 402 page: connect, deposit, the transaction on its way, the paid article, the next with no prompt", async ({
  newReader,
  world,
}) => {
  const { page, wallet } = await newReader();
  await page.goto(`${world.receiverUrl}/articles/1`);
  await connectButton(page).waitFor();
  await shot(page, "1-paywall-connect");

  await connectButton(page).click();
  await openButton(page).waitFor();
  // The button is disabled while the paywall learns how this token deposits: shoot it ready to click.
  await expect(openButton(page)).toBeEnabled();
  await shot(page, "2-paywall-deposit");

  const release = wallet.holdNext("eth_sendTransaction");
  await openButton(page).click();
  await expect(page.getByText("Confirm in your wallet.")).toBeVisible({ timeout: 45_000 });
  await shot(page, "3a-paywall-confirm-in-wallet");

  // The deposit transaction sits in the node's pool until a block is mined: the panel shows it on its way.
  await setAutomine(false);
  try {
    release();
    await expect(page.getByText(/^Transaction sent/)).toBeVisible({ timeout: 45_000 });
    await shot(page, "3-paywall-opening");
  } finally {
    await setAutomine(true);
    await mine(1);
  }

  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await shot(page, "4-paid-article");

  const prompts = wallet.promptCount();
  await page.getByRole("link", { name: /^Next: / }).click();
  await expect(page.getByRole("heading", { name: "Payment channels in five minutes" })).toBeVisible({
    timeout: 45_000,
  });
  // The status bar has caught up with the second payment.
  await expect(page.getByText("0.003 USDC").first()).toBeVisible();
  expect(wallet.promptCount(), `the next article asked the wallet nothing: ${JSON.stringify(wallet.prompts)}`).toBe(
    prompts,
  );
  await shot(page, "5-next-article-no-prompt");
});

test("no wallet, another network, no tokens, a rejection", async ({ browser, newReader, world }) => {
  const bare = await browser.newContext();
  try {
    const page = await bare.newPage();
    await page.goto(`${world.receiverUrl}/articles/1`);
    await expect(page.getByText("No Ethereum wallet found in this browser.")).toBeVisible();
    await shot(page, "10-no-wallet");
  } finally {
    await bare.close();
  }

  const elsewhere = await newReader({ unknownChain: true });
  await elsewhere.page.goto(`${world.receiverUrl}/articles/1`);
  await connectButton(elsewhere.page).click();
  await expect(elsewhere.page.getByRole("button", { name: /^Switch to / })).toBeVisible();
  await shot(elsewhere.page, "11-wrong-network");

  const broke = await newReader({ tokens: 0n });
  await broke.page.goto(`${world.receiverUrl}/articles/1`);
  await connectButton(broke.page).click();
  await expect(
    broke.page.getByText("This network has no faucet: get the token from an exchange or a friend first."),
  ).toBeVisible();
  await shot(broke.page, "12-no-tokens");

  const { page, wallet } = await newReader();
  await page.goto(`${world.receiverUrl}/articles/1`);
  wallet.rejectNext("eth_signTypedData_v4");
  wallet.rejectNext("eth_sendTransaction");
  await connectAndOpen(page);
  await expect(page.getByText("You rejected the request in your wallet. Nothing was charged.")).toBeVisible();
  await shot(page, "13-rejected");
});

test("a static site's paid fragment: paywall, deposit, bought; running low; closed", async ({ newReader, world }) => {
  const { page } = await newReader();
  await page.goto(`${world.siteUrl}/posts/1`);
  await connectButton(page).waitFor();
  await shot(page, "6-fragment-paywall");

  await connectButton(page).click();
  await openButton(page).waitFor();
  // Six pages' worth, so that the second post leaves fewer than five and the status offers a top-up.
  await page.getByLabel(/^Deposit/).fill("0.006");
  await expect(openButton(page)).toBeEnabled();
  await shot(page, "7-fragment-deposit");

  await openButton(page).click();
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await shot(page, "8-fragment-paid");

  await page.goto(`${world.siteUrl}/posts/2`);
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText("Your deposit is running low.")).toBeVisible();
  await shot(page, "14-top-up-offered");

  await page.getByRole("button", { name: "Close and get the rest back" }).click();
  await expect(page.getByText(/^Channel closed: .* came back to you\.$/)).toBeVisible({ timeout: 45_000 });
  await shot(page, "15-closed");
});

test("the React example app, after paying for an article", async ({ newReader, world }) => {
  const { page } = await newReader();
  await page.goto(`${world.siteUrl}/static/example/`);
  await connectAndOpen(page);
  await expect(page.locator("article").getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await shot(page, "9-react-example-paid");
});
