// An unreachable or failing RPC must never look like a reorganization: the watcher's step fails, the store and
// the channel book keep everything, and the next step carries on.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, custom, encodePacked, http, parseEther } from "viem";
import { createReceiverCore } from "../receiver/createReceiverCore.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { createWatcher } from "./createWatcher.ts";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(() => chain.close());

it("a failing RPC aborts the step and keeps the chain state", async () => {
  const [, sender, receiverAccount] = chain.accounts;
  assert.ok(sender && receiverAccount);
  await chain.mint(sender.address, parseEther("10"));
  const direct = createPublicClient({ transport: http(chain.rpcUrl) });
  let failing = false;
  const transport = custom({
    async request({ method, params }) {
      if (failing && method === "eth_getBlockByNumber") throw new Error("503 Service Unavailable");
      return direct.request({ method, params } as Parameters<typeof direct.request>[0]);
    },
  });
  const store = sqliteStore(":memory:");
  const receiver = createReceiverCore({ store, account: receiverAccount, deployment: chain.deployment });
  const watcher = createWatcher({
    receiver,
    publicClient: createPublicClient({ transport }),
    walletClient: createWalletClient({ account: receiverAccount, transport }),
    log: () => {},
  });

  const opened = await createWalletClient({ account: sender, transport: http(chain.rpcUrl) }).writeContract({
    chain: null,
    address: chain.deployment.token,
    abi: demoTokenAbi,
    functionName: "transferAndCall",
    args: [chain.deployment.channelManager, parseEther("1"), encodePacked(["address"], [receiverAccount.address])],
  });
  const { blockNumber } = await direct.waitForTransactionReceipt({ hash: opened });
  await watcher.syncOnce();
  assert.ok(receiver.book.get(sender.address, blockNumber));
  const events = store.loadEvents().length;

  await chain.testClient.mine({ blocks: 2 });
  failing = true;
  await assert.rejects(watcher.syncOnce(), /503/);
  assert.equal(store.loadEvents().length, events);
  assert.ok(receiver.book.get(sender.address, blockNumber), "the channel is still known");

  failing = false;
  await watcher.syncOnce();
  assert.equal(store.loadEvents().length, events);
  assert.equal(receiver.head(), await direct.getBlockNumber());
  store.close();
});
