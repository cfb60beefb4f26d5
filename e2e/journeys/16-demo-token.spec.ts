// Journey 16: the demo token's path, end to end, where every other journey runs on USDC. An 18-decimal token with
// EIP-2612 permit and no EIP-3009, a test faucet anyone may mint from, a receiver of its own paid through the demo
// token's manager. A reader with ether and none of the token takes 0.1 TKN from the faucet (one transaction), opens
// with the permit's signature and one transaction, reads, and the next article asks nothing.
import { parseEther } from "viem";
import { channelOnChain, tokenBalance } from "../harness/chain.ts";
import { expect, test } from "../harness/fixtures.ts";
import { magazinePath, magazinePriceIn } from "../harness/magazineRoutes.ts";
import { connectButton, expectArticle, expectPrice, followNext, openButton } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { startOwnReceiver } from "../harness/startOwnReceiver.ts";

const price = magazinePriceIn(18);

test("on the 18-decimal demo token: the faucet, a permit open, the article, the next with no prompt", async ({
  newReader,
  world,
}) => {
  const { demoDeployment } = world;
  const receiver = await startOwnReceiver(world, 5, { deployment: demoDeployment });
  try {
    const reader = await newReader({ token: demoDeployment.token, tokens: 0n });
    const { page, wallet } = reader;
    const url = (id: number) => `${receiver.url}${magazinePath(id)}`;
    expect((await page.goto(url(1)))?.status()).toBe(402);
    await expectPrice(page, "0.001 TKN");

    await connectButton(page).click();
    // The suggested deposit, 100 articles, is more than the reader holds: the demo token's faucet offers it.
    await page.getByRole("button", { name: "Get 0.1 TKN from the test faucet" }).click();
    await expect(openButton(page)).toBeEnabled({ timeout: 45_000 });
    expect(await tokenBalance(reader.address, demoDeployment.token)).toBe(parseEther("0.1"));
    await expect(page.getByText("Opens with one signature and one transaction.")).toBeVisible();
    await openButton(page).click();
    await expectArticle(page, url(1), 1);

    expect(wallet.prompts.eth_requestAccounts).toBe(1);
    expect(wallet.prompts.eth_sendTransaction, "the faucet's mint and the open").toBe(2);
    expect(wallet.signedTypes, "the demo token's permit").toEqual(["Permit"]);
    const stored = await onlyChannel(reader.address, receiver.url);
    expect(stored.deposit).toBe(100n * price);
    expect(stored.balance, "charged once, for one article").toBe(price);
    const onChain = await channelOnChain(
      reader.address,
      receiver.address,
      stored.openBlock,
      demoDeployment.channelManager,
    );
    expect(onChain.deposit).toBe(stored.deposit);
    expect(await tokenBalance(reader.address, demoDeployment.token), "the whole faucet's amount deposited").toBe(0n);

    const prompts = wallet.promptCount();
    await followNext(page, url(2), 2);
    expect(wallet.promptCount(), "the next article asks nothing").toBe(prompts);
    expect((await onlyChannel(reader.address, receiver.url)).balance).toBe(2n * price);
  } finally {
    await receiver.stop();
  }
});
