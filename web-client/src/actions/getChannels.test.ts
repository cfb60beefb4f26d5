// getChannels against a real chain: the stored view, and with `refresh` the chain's word on channels that were closed
// or settled while this client was not watching (from another device with the same account).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { http, parseEther } from "viem";
import { type ChannelClient, createChannelClient } from "../client/createChannelClient.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { closeChannelUncooperatively } from "./closeChannelUncooperatively.ts";
import { getChannels } from "./getChannels.ts";
import { openChannel } from "./openChannel.ts";
import { refreshChannel } from "./refreshChannel.ts";
import { settleChannel } from "./settleChannel.ts";

describe("getChannels", () => {
  let chain: TestChain;
  /** The reader's browser: it opened the channels and keeps them in its own storage. */
  let here: ChannelClient;
  /** The same account on another device, with storage of its own. */
  let elsewhere: ChannelClient;

  before(async () => {
    chain = await startTestChain();
    const sender = chain.accounts[1] ?? assert.fail();
    await chain.mint(sender.address, parseEther("100"));
    const client = () =>
      createChannelClient({
        account: sender,
        transport: http(chain.rpcUrl),
        storage: memoryStorage(),
        lock: memoryLock(),
      });
    here = client();
    elsewhere = client();
  });
  after(() => chain.close());

  const manager = () => ({
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
    receiver: chain.accounts[2]?.address ?? assert.fail(),
  });
  const listed = async (refresh: boolean) =>
    new Map(
      (await getChannels(here, { ...manager(), refresh })).map((channel) => [channel.openBlock, channel] as const),
    );

  it("with refresh, learns from the chain the closes and settlements made elsewhere, and stores them", async () => {
    const settled = await openChannel(here, { ...manager(), deposit: parseEther("1") });
    const closing = await openChannel(here, { ...manager(), deposit: parseEther("2") });
    const untouched = await openChannel(here, { ...manager(), deposit: parseEther("3") });

    const settledElsewhere = await closeChannelUncooperatively(elsewhere, {
      channel: await refreshChannel(elsewhere, settled),
    });
    const closingElsewhere = await closeChannelUncooperatively(elsewhere, {
      channel: await refreshChannel(elsewhere, closing),
    });
    await chain.testClient.mine({ blocks: chain.deployment.challengePeriod + 1 });
    await settleChannel(elsewhere, { channel: settledElsewhere });

    const stale = await listed(false);
    assert.deepEqual(
      [...stale.values()].map((channel) => channel.state),
      ["open", "open", "open"],
      "storage alone has not seen what happened elsewhere",
    );

    const fresh = await listed(true);
    assert.equal(fresh.get(settled.openBlock)?.state, "closed");
    assert.equal(fresh.get(closing.openBlock)?.state, "closing");
    assert.equal(fresh.get(closing.openBlock)?.settleBlock, closingElsewhere.settleBlock);
    assert.equal(fresh.get(untouched.openBlock)?.state, "open");
    assert.equal(fresh.get(untouched.openBlock)?.deposit, parseEther("3"));
    // Stored: the next read without refresh sees the same.
    assert.deepEqual(
      [...(await listed(false)).values()].map((channel) => [channel.openBlock, channel.state]),
      [...fresh.values()].map((channel) => [channel.openBlock, channel.state]),
    );
  });
});
