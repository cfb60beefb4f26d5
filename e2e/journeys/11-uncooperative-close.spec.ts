// Journey 11: the reader's side closes uncooperatively at a stale, lower balance (an old copy of the channel, sent
// from the reader's account) → the receiver's watcher answers within the challenge period with its latest proof and
// the channel settles at the balance the reader really owes (asserted on chain); the reader's page shows the outcome.
import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import { createWalletClient, http } from "viem";
import { channelOnChain, mine, publicClient, settlement, tokenBalance } from "../harness/chain.ts";
import { expect, type Reader, type ReaderOptions, test } from "../harness/fixtures.ts";
import { magazinePrice } from "../harness/magazineRoutes.ts";
import { connectAndOpen, openButton } from "../harness/paywall.ts";
import { onlyChannel } from "../harness/receiverRecords.ts";
import { usdc } from "../harness/usdc.ts";
import type { World } from "../harness/world.ts";

const paidText = "The whole article, paid for with a balance proof.";

/** The reader reads two paid fragments, then its account closes the channel claiming only one. */
async function readTwoThenCloseStale(newReader: (options?: ReaderOptions) => Promise<Reader>, world: World) {
  const reader = await newReader();
  const { page } = reader;
  await page.goto(`${world.siteUrl}/posts/1`);
  await connectAndOpen(page);
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  await page.goto(`${world.siteUrl}/posts/2`);
  await expect(page.getByText(paidText)).toBeVisible({ timeout: 45_000 });
  const channel = await onlyChannel(reader.address);
  expect(channel.balance).toBe(2n * magazinePrice);
  // The reader has left the site: no page of it watches the chain while the channel is closed and settled.
  await page.goto("about:blank");

  const wallet = createWalletClient({ account: reader.account, transport: http(world.rpcUrl) });
  const hash = await wallet.writeContract({
    chain: null,
    address: world.deployment.channelManager,
    abi: channelManagerAbi,
    functionName: "uncooperativeClose",
    args: [world.receiverAddress, channel.openBlock, magazinePrice],
  });
  await publicClient.waitForTransactionReceipt({ hash });
  const { settleBlock } = await channelOnChain(reader.address, world.receiverAddress, channel.openBlock);
  expect(settleBlock).toBeGreaterThan(0n);

  // The watcher polls every 200 ms; blocks keep coming as they would on a live chain.
  await expect
    .poll(
      async () => {
        await mine(1);
        return (await settlement(reader.address, world.receiverAddress, channel.openBlock))?.balance;
      },
      { timeout: 30_000 },
    )
    .toBe(2n * magazinePrice);
  expect(await publicClient.getBlockNumber(), "settled within the challenge period").toBeLessThanOrEqual(settleBlock);
  return { reader, page };
}

test("a stale uncooperative close is challenged by the receiver's watcher at its latest balance", async ({
  newReader,
  world,
}) => {
  const { reader } = await readTwoThenCloseStale(newReader, world);
  expect(await tokenBalance(reader.address), "the reader paid for the two articles it read").toBe(
    usdc("10") - 2n * magazinePrice,
  );
});

// The reader comes back after the settlement: the paywall reads the channel from the chain, not only from what the
// browser stored while it last watched, so it never waits for the site to accept a settled channel.
test("after the challenge the reader's page shows the outcome", async ({ newReader, world }) => {
  const { page } = await readTwoThenCloseStale(newReader, world);
  await page.goto(`${world.siteUrl}/posts/3`);
  await expect(openButton(page).or(page.getByText(paidText))).toBeVisible({ timeout: 45_000 });
  await expect(openButton(page), "the closed channel is gone: a new one is offered").toBeVisible();
  await expect(
    page.getByText(
      "Your last channel to this site was settled on chain: 0.002 USDC went to the site, 0.098 USDC came back to you.",
    ),
    "the paywall says how the old channel ended: at the receiver's latest balance, the rest refunded",
  ).toBeVisible();
});
