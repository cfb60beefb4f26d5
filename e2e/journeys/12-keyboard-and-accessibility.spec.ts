// Journey 12: journey 1 by keyboard alone, and an automated accessibility scan (axe) of every paywall state with no
// serious or critical violation: price and connect, no wallet, wrong network, deposit, waiting for the wallet, a
// rejection, the paid fragment with its channel status.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath } from "../harness/magazineRoutes.ts";
import { connectButton, expectArticle, openButton } from "../harness/paywall.ts";

/** Fails listing every serious or critical axe violation on the page as it is now. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target).join(", ")})`,
    );
  expect(serious, `axe, ${state}`).toEqual([]);
}

/** The focused element's accessible text, looking through shadow roots (the widget renders in one). */
function focused(page: Page): Promise<{ text: string; inPaywall: boolean }> {
  return page.evaluate(() => {
    let element = document.activeElement;
    let inPaywall = element?.id === "micro-raiden-paywall";
    while (element?.shadowRoot?.activeElement) {
      inPaywall ||= element.id === "micro-raiden-paywall";
      element = element.shadowRoot.activeElement;
    }
    return { text: (element?.getAttribute("aria-label") ?? element?.textContent ?? "").trim(), inPaywall };
  });
}

/** Presses Tab until the focused element's text matches (a reader tabbing to a control). */
async function tabTo(page: Page, name: RegExp): Promise<void> {
  for (let presses = 0; presses < 30; presses++) {
    if (name.test((await focused(page)).text)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${name}; focus is on "${(await focused(page)).text}".`);
}

test("journey 1 by keyboard alone: focus follows each step to the paid article", async ({ newReader, world }) => {
  const { page, wallet } = await newReader();
  const url = `${world.receiverUrl}${magazinePath(1)}`;
  await page.goto(url);
  await connectButton(page).waitFor();
  await tabTo(page, /^Connect /);
  await page.keyboard.press("Enter");
  await openButton(page).waitFor();
  expect((await focused(page)).inPaywall, "focus moved into the next step").toBe(true);
  await tabTo(page, /^Open a channel with/);
  await page.keyboard.press("Enter");
  await expectArticle(page, url, 1);
  expect(wallet.prompts.eth_sendTransaction).toBe(1);
});

test("axe: price, deposit, waiting for the wallet, rejection, and the paid fragment with its status", async ({
  newReader,
  world,
}) => {
  const { page, wallet } = await newReader();
  await page.goto(`${world.receiverUrl}${magazinePath(1)}`);
  await connectButton(page).waitFor();
  await expectAccessible(page, "price and connect");

  await connectButton(page).click();
  await openButton(page).waitFor();
  await expectAccessible(page, "deposit");

  const release = wallet.holdNext("eth_signTypedData_v4");
  await openButton(page).click();
  await expect(page.getByText("Confirm in your wallet.")).toBeVisible();
  await expectAccessible(page, "waiting for the wallet");
  wallet.rejectNext("eth_signTypedData_v4");
  release();
  await expect(page.getByText("You rejected the request in your wallet. Nothing was charged.")).toBeVisible();
  // The held prompt was the one rejected: a rejection was queued for the prompt already open.
  await expectAccessible(page, "rejected");

  await page.goto(`${world.siteUrl}/posts/4`);
  await connectButton(page).click();
  await openButton(page).click();
  await expect(page.getByText("Close and get the rest back")).toBeVisible({ timeout: 45_000 });
  await expectAccessible(page, "paid fragment with the channel status");
});

test("axe: no wallet in the browser, and a wallet on another network", async ({ browser, newReader, world }) => {
  const bare = await browser.newContext();
  try {
    const page = await bare.newPage();
    await page.goto(`${world.receiverUrl}${magazinePath(1)}`);
    await expect(page.getByText("No Ethereum wallet found in this browser.")).toBeVisible();
    await expectAccessible(page, "no wallet");
  } finally {
    await bare.close();
  }

  const { page } = await newReader({ unknownChain: true });
  await page.goto(`${world.receiverUrl}${magazinePath(1)}`);
  await connectButton(page).click();
  await expect(page.getByRole("button", { name: /^Switch to / })).toBeVisible();
  await expectAccessible(page, "wrong network");
});
