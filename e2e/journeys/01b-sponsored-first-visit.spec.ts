// Journey 1, second reader: USDC and no ETH at all. The receiver offers to sponsor the open: on USDC the reader
// connects and signs once (an EIP-3009 ReceiveWithAuthorization whose nonce binds the channel's terms), the receiver
// sends the transaction and pays its gas, and the article appears. The next article asks nothing.
import { publicClient, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, expectArticle, followNext } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { startOwnReceiver } from "../harness/startOwnReceiver.ts";
import { usdc } from "../harness/usdc.ts";

test("a reader with USDC and no ETH opens with one signature through the receiver's sponsored open", async ({
  newReader,
  world,
}) => {
  const receiver = await startOwnReceiver(world, 4, { sponsorMinDeposit: (magazinePrice * 10n).toString() });
  try {
    const reader = await newReader({ eth: 0n });
    const { page, wallet } = reader;
    const url = (id: number) => `${receiver.url}${magazinePath(id)}`;
    expect((await page.goto(url(1)))?.status()).toBe(402);
    await connectAndOpen(page);
    await expectArticle(page, url(1), 1);

    expect(wallet.prompts.eth_requestAccounts).toBe(1);
    expect(wallet.prompts.eth_sendTransaction, "no transaction from the reader").toBe(0);
    expect(wallet.signedTypes, "one signature: the ReceiveWithAuthorization").toEqual(["ReceiveWithAuthorization"]);
    expect(wallet.promptCount(), "connect and one signature: nothing else").toBe(2);
    expect(await publicClient.getBalance({ address: reader.address }), "still no ETH spent or needed").toBe(0n);
    const stored = await onlyChannel(reader.address, receiver.url);
    expect(stored.balance).toBe(magazinePrice);
    expect(await tokenBalance(reader.address)).toBe(usdc("10") - stored.deposit);

    await followNext(page, url(2), 2);
    expect(wallet.promptCount(), "the next article asks nothing").toBe(2);
    expect((await onlyChannel(reader.address, receiver.url)).balance).toBe(2n * magazinePrice);
  } finally {
    await receiver.stop();
  }
});
