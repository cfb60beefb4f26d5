// Journey 7: reload a paid article; then come back in a fresh browser profile (no storage, no Service Worker). The
// channel is found again from the chain and the receiver: no double charge, no second deposit forced on the reader.
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, openButton, readFirstArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";

// A reload revalidates the browser's private copy, which the receiver answers 304 within the paid max-age (without
// that copy the network answers 402, and the payment worker answers with the article it kept): not paid again.
test("reloading a paid article does not charge it again", async ({ newReader, world }) => {
  const reader = await newReader();
  const { page } = reader;
  const url = `${world.receiverUrl}${magazinePath(1)}`;
  await page.goto(url);
  await connectAndOpen(page);
  await expectArticle(page, url, 1);

  await page.reload();
  await expectArticle(page, url, 1);
  expect((await onlyChannel(reader.address)).balance, "a reload is not charged again").toBe(magazinePrice);
});

test("a fresh browser context finds the channel again: no second deposit, no double charge", async ({
  newReader,
  world,
}) => {
  const reader = await newReader();
  const { page, wallet } = reader;
  const url = await readFirstArticle(page, world.receiverUrl);

  const fresh = await reader.newContext();
  await fresh.page.goto(url(2));
  const article = fresh.page.locator('#article[data-article="2"]');
  // Like MetaMask, the wallet still lists the site as connected (the reader cleared the site's storage, not the
  // wallet's): the paywall reconnects it without a prompt, finds the channel on chain and pays. While it looks for
  // the wallet it offers no Connect button (one would vanish under the reader's click as the page navigates).
  // The channel's session key stayed in the old profile's storage: this one is offered its own key for one signature
  // (a SignerDelegation, no transaction) instead of a wallet prompt per article.
  const delegateHere = fresh.page.getByRole("button", { name: "Pay automatically here too (one signature, no fee)" });
  await expect(delegateHere.or(article).or(openButton(fresh.page)).first()).toBeVisible({ timeout: 45_000 });
  await expect(openButton(fresh.page), "no second deposit offered as the way on").toHaveCount(0);
  const signaturesBefore = wallet.prompts.eth_signTypedData_v4;
  await delegateHere.click();
  await expectArticle(fresh.page, url(2), 2);
  expect(
    wallet.prompts.eth_signTypedData_v4 - signaturesBefore,
    "one signature here, the delegation: the article itself was paid by the new key without a prompt",
  ).toBe(1);

  expect(wallet.prompts.eth_requestAccounts, "the wallet was asked to connect once, on the first visit").toBe(1);
  expect(wallet.prompts.eth_sendTransaction, "one deposit in all").toBe(1);
  expect((await onlyChannel(reader.address)).balance, "two articles, two prices").toBe(2n * magazinePrice);
});
