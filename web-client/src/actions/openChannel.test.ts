// openChannel's own write against a refresh of the same channel racing it (a watcher that saw the ChannelCreated
// event first): the session key, which only the open knows, must survive whichever write lands last.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { custom, http, parseEther } from "viem";
import { createChannelClient } from "../client/createChannelClient.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import type { ChannelStorage, StoredChannel } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { openChannel } from "./openChannel.ts";
import { pendingKeyOf } from "./pendingSessionKey.ts";
import { refreshChannel } from "./refreshChannel.ts";
import { syncChannels } from "./syncChannels.ts";

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
      // The channel's own write (not the pending key's, at open block 0, made before the transaction).
      if (!refresh && channel.sessionKey && channel.openBlock !== 0n) {
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

it("a page that dies while the deposit is on its way: the next page finds the channel with its session key", async () => {
  const sender = chain.accounts[3] ?? assert.fail();
  await chain.mint(sender.address, parseEther("10"));
  const storage = memoryStorage(); // what the browser keeps across pages (IndexedDB)
  const manager = {
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
  };
  const receiver = chain.accounts[2]?.address ?? assert.fail();
  // The first page: its transaction goes out, then the page is gone before the receipt comes back.
  let sent = false;
  const dying = custom({
    async request({ method, params }) {
      if (method === "eth_getTransactionReceipt" && sent) throw new Error("The page was closed.");
      if (method === "eth_sendRawTransaction") sent = true;
      const response = await fetch(chain.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
      // As a wallet's provider answers: the JSON-RPC error with its code and data (a revert is code 3 with its data).
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
  });
  const first = createChannelClient({
    account: sender,
    transport: dying,
    storage,
    lock: memoryLock(),
    signing: "session",
  });
  await assert.rejects(openChannel(first, { ...manager, receiver, deposit: parseEther("1") }));
  assert.ok(sent, "the deposit went out");
  const pending = await storage.get(pendingKeyOf({ ...manager, sender: sender.address, receiver }));
  assert.ok(pending?.sessionKey, "the key was kept before the transaction was sent");

  // The next page reads the reader's channels from the chain: the channel comes with the key that registered it.
  const next = createChannelClient({
    account: sender,
    transport: http(chain.rpcUrl),
    storage,
    lock: memoryLock(),
    signing: "session",
  });
  const channels = await syncChannels(next, { ...manager, fromBlock: 0n });
  const found = channels.find((c) => c.receiver === receiver && c.state === "open");
  assert.ok(found, "the channel is on chain");
  assert.equal(found.sessionKey, pending.sessionKey, "its session key was adopted");
  assert.equal((await storage.get(found))?.sessionKey, pending.sessionKey);
  assert.equal(await storage.get(pendingKeyOf(found)), undefined, "the pending key is gone once adopted");
});
