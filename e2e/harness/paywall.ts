// The reader's steps through the paywall, as a reader sees them: by the accessible names of what is on the screen
// (Playwright's role locators reach into the widget's open shadow root).
import { expect, type Page } from "@playwright/test";
import { walletInfo } from "../wallet/walletInitScript.ts";
import { magazinePath } from "./magazineRoutes.ts";

/** The paywall panel the receiver's 402 page (or a paid fragment) shows. */
export const paywallPanel = (page: Page) => page.locator("#micro-raiden-paywall, [data-micro-raiden-src]").first();

export const connectButton = (page: Page) => page.getByRole("button", { name: `Connect ${walletInfo.name}` });
export const openButton = (page: Page) => page.getByRole("button", { name: /^Open a channel with/ });

/** The widget's error notice (its details folded in, as text). */
export const failure = (page: Page) => page.getByRole("alert").filter({ hasText: /\S/ });

/** Fails with the widget's whole error notice, details included, when one is shown. */
export async function expectNoFailure(page: Page): Promise<void> {
  const shown = failure(page);
  if (await shown.count()) expect.soft(await shown.first().textContent(), "the widget showed an error").toBe("");
  expect(await shown.count()).toBe(0);
}

/** The price line: "This page costs 0.001 USDC." */
export async function expectPrice(page: Page, price: string): Promise<void> {
  await expect(page.getByText(`This page costs ${price}.`)).toBeVisible();
}

/** Connect the wallet, then open a channel with the deposit the form suggests (or `deposit`, in tokens). */
export async function connectAndOpen(page: Page, options: { deposit?: string; wallet?: boolean } = {}): Promise<void> {
  await connectButton(page).click();
  await openButton(page).waitFor();
  if (options.deposit !== undefined) await page.getByLabel(/^Deposit/).fill(options.deposit);
  if (options.wallet) await page.getByRole("radio", { name: "Confirm each payment in my wallet" }).check();
  await openButton(page).click();
}

/** Waits for magazine article `id` as the real document: its own script ran and the URL is the article's. */
export async function expectArticle(page: Page, url: string, id: number): Promise<void> {
  const article = page.locator(`#article[data-article="${id}"]`);
  await expect(article.or(failure(page)).first()).toBeVisible({ timeout: 45_000 });
  await expectNoFailure(page);
  await expect(article).toBeVisible();
  expect(page.url()).toBe(url);
  await expect(page.locator("body")).toHaveAttribute("data-script-ran", "yes");
}

/**
 * Follows the page's "Next article" link to magazine article `id`. Where the next page is the paywall's to pay (wallet
 * mode), the paywall asks the wallet on the 402 page and then loads the article.
 */
export async function followNext(page: Page, url: string, id: number): Promise<void> {
  await page.locator("#next").click();
  await expectArticle(page, url, id);
}

/** The URLs of the magazine's articles on the receiver at `receiverUrl`. */
export const magazineUrls = (receiverUrl: string) => (id: number) => `${receiverUrl}${magazinePath(id)}`;

/** A first visit: magazine article 1's paywall, connect, the suggested deposit, the paid article. Returns the URLs. */
export async function readFirstArticle(page: Page, receiverUrl: string): Promise<(id: number) => string> {
  const url = magazineUrls(receiverUrl);
  await page.goto(url(1));
  await connectAndOpen(page);
  await expectArticle(page, url(1), 1);
  return url;
}
