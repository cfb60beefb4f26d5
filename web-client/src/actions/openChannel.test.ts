// openChannel's own write against a refresh of the same channel racing it (a watcher that saw the ChannelCreated
// event first): the session key, which only the open knows, must survive whichever write lands last.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { http, parseEther } from "viem";
import { createChannelClient } from "../client/createChannelClient.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import type { ChannelStorage, StoredChannel } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { openChannel } from "./openChannel.ts";
import { refreshChannel } from "./refreshChannel.ts";

let chain: TestChain;

before(async () => {
  chain = await startTestChain();
});
after(() => chain.close());

it("a refresh racing the open's write (read before it, written after it) keeps the session key", async () => {
  const sender = chain.accounts[1] ?? assert.fail();
  await chain.mint(sender.address, parseEther("10"));
  const inner = memoryStorage();
  let refresh: Promise<StoredChannel> | undefined;
  let refreshRead: () => void = () => {};
  const refreshHasRead = new Promise<void>((resolve) => (refreshRead = resolve));
  let wrote: () => void = () => {};
  const openWrote = new Promise<void>((resolve) => (wrote = resolve));
  // The refresh starts the moment the open is about to store the channel, and reads storage before that write.
  const storage: ChannelStorage = {
    ...inner,
    async get(key) {
      const found = await inner.get(key);
      if (refresh && !found) {
        // The refresh has read "nothing stored" and holds on to it until the open has written.
        refreshRead();
        await Promise.race([openWrote, new Promise((resolve) => setTimeout(resolve, 300))]);
      }
      return found;
    },
    async put(channel) {
      if (!refresh && channel.sessionKey) {
        refresh = refreshChannel(client, channel);
        // Unlocked, the refresh reads at once; under the receiver's lock it waits for this write to finish.
        await Promise.race([refreshHasRead, new Promise((resolve) => setTimeout(resolve, 300))]);
        await inner.put(channel);
        return wrote();
      }
      await inner.put(channel);
    },
  };
  const client = createChannelClient({
    account: sender,
    transport: http(chain.rpcUrl),
    storage,
    lock: memoryLock(),
    signing: "session",
  });

  const opened = await openChannel(client, {
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
    receiver: chain.accounts[2]?.address ?? assert.fail(),
    deposit: parseEther("1"),
  });
  assert.ok(opened.sessionKey, "the open made a session key");
  assert.ok(refresh, "the refresh raced the open");
  await refresh;
  const stored = await inner.get(opened);
  assert.equal(stored?.sessionKey, opened.sessionKey, "the stored channel still has its session key");
  assert.equal(stored?.deposit, parseEther("1"));
});
