// Journey 1, second reader: tokens and no ETH at all. The receiver offers to sponsor the open: the reader only signs,
// the receiver sends the transaction and pays its gas, and the article appears.
import { publicClient, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { startOwnReceiver } from "../harness/startOwnReceiver.ts";

const ether = 10n ** 18n;

test("a reader with tokens and no ETH opens through the receiver's sponsored open and reads", async ({
  newReader,
  world,
}) => {
  const receiver = await startOwnReceiver(world, 4, { sponsorMinDeposit: (magazinePrice * 10n).toString() });
  try {
    const reader = await newReader({ eth: 0n });
    const { page, wallet } = reader;
    const url = `${receiver.url}${magazinePath(1)}`;
    expect((await page.goto(url))?.status()).toBe(402);
    await connectAndOpen(page);
    await expectArticle(page, url, 1);

    expect(wallet.prompts.eth_sendTransaction, "no transaction from the reader").toBe(0);
    expect(wallet.prompts.eth_signTypedData_v4, "signatures only").toBeGreaterThanOrEqual(1);
    expect(await publicClient.getBalance({ address: reader.address }), "still no ETH spent or needed").toBe(0n);
    const stored = await onlyChannel(reader.address, receiver.url);
    expect(stored.balance).toBe(magazinePrice);
    expect(await tokenBalance(reader.address)).toBe(10n * ether - stored.deposit);
  } finally {
    await receiver.stop();
  }
});
