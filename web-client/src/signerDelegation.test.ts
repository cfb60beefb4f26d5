// A channel opened with a session key on one origin, paid automatically from another whose storage does not hold
// that key: the second origin's client makes its own key, the wallet signs one SignerDelegation (no transaction),
// and every later payment is prompt-free. Against a real chain (startTestChain) and the real receiver, whose
// operator then redeems the delegated proof on chain.

import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { type Receiver, receiverApp, startReceiver } from "@micro-raiden/receiver";
import { http, type LocalAccount, parseUnits, toHex } from "viem";
import { readContract } from "viem/actions";
import { delegateSigner } from "./actions/delegateSigner.ts";
import { fetchWithStoredChannel } from "./actions/fetchWithStoredChannel.ts";
import { openChannel } from "./actions/openChannel.ts";
import { syncChannels } from "./actions/syncChannels.ts";
import { type ChannelClient, createChannelClient } from "./client/createChannelClient.ts";
import { memoryLock } from "./locks/memoryLock.ts";
import { channelManagerAbi } from "./protocol/index.ts";
import { memoryStorage } from "./storage/memoryStorage.ts";

const price = parseUnits("0.001", 18);
const url = "http://receiver.test/paid";

describe("a second origin pays automatically after one signature (real chain, real receiver)", () => {
  let chain: TestChain;
  let receiverNode: Receiver;
  let app: ReturnType<typeof receiverApp>;
  /** Typed-data signatures the sender's wallet made, by primary type. */
  const signed: string[] = [];

  before(async () => {
    chain = await startTestChain({ tokenKind: "demo" });
    const [, sender, receiver] = chain.accounts;
    assert.ok(sender && receiver);
    await chain.mint(sender.address, parseUnits("100", 18));
    receiverNode = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(receiver.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "delegation-")), "receiver.db"),
      confirmations: 1,
      pollIntervalMs: 20,
      log: () => {},
    });
    app = receiverApp({
      receiver: receiverNode,
      operatorToken: "operator",
      routes: (site, { paywall }) => site.get("/paid", paywall({ price }), (c) => c.text("paid")),
    });
  });
  after(async () => {
    await receiverNode.close();
    await chain.close();
  });

  /** One origin's client: its own storage, the same sender wallet (every signature it makes is counted). */
  function originClient(): ChannelClient {
    const sender = chain.accounts[1] ?? assert.fail();
    const wallet: LocalAccount = {
      ...sender,
      async signTypedData(typedData) {
        signed.push(String(typedData.primaryType));
        return sender.signTypedData(typedData);
      },
    };
    return createChannelClient({
      account: wallet,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
      lock: memoryLock(),
      fetch: async (input, init) => app.request(new Request(input, init)),
    });
  }

  it("opens on origin A, delegates once on origin B, and B's payments need no further signature", async () => {
    const blog = originClient();
    const opened = await openChannel(blog, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver: chain.accounts[2]?.address ?? assert.fail(),
      deposit: parseUnits("1", 18),
      autoPay: { maxPrice: price, perMinute: 30 },
    });
    await receiverNode.sync();
    for (let i = 0; i < 2; i++) assert.equal((await fetchWithStoredChannel(blog, { input: url })).status, 200);

    // Origin B learns the channel from the chain: it has no key for it.
    const site = originClient();
    const [found] = await syncChannels(site, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      fromBlock: BigInt(chain.deployment.deploymentBlock),
    });
    assert.ok(found && found.openBlock === opened.openBlock && !found.sessionKey);
    const before = signed.length;
    const delegated = await delegateSigner(site, { channel: found, autoPay: { maxPrice: price, perMinute: 30 } });
    assert.deepEqual(signed.slice(before), ["SignerDelegation"], "exactly one signature, and no transaction");
    assert.ok(delegated.sessionKey && delegated.signerDelegation);
    assert.deepEqual(await site.storage.get(found), delegated, "key and delegation are kept with the channel");
    // Refreshed from the chain (as the widget does after every change), the channel keeps both.
    await syncChannels(site, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      fromBlock: BigInt(chain.deployment.deploymentBlock),
    });
    assert.equal((await site.storage.get(found))?.signerDelegation, delegated.signerDelegation);

    // B does not know the balance A reached: the receiver's answer corrects it, with no prompt.
    for (let i = 0; i < 3; i++) assert.equal((await fetchWithStoredChannel(site, { input: url })).status, 200);
    assert.equal(signed.length, before + 1, "B's payments were signed by its key alone");
    assert.equal((await site.storage.get(found))?.balance, 5n * price);
    // A's next payment goes on from the balance B reached: the receiver's echo, signed by B's key, is A's too.
    assert.equal((await fetchWithStoredChannel(blog, { input: url })).status, 200);
    assert.equal((await blog.storage.get(opened))?.balance, 6n * price);
    assert.equal((await fetchWithStoredChannel(site, { input: url })).status, 200);

    // The receiver holds B's last proof with its delegation, and redeems it on chain.
    assert.equal(receiverNode.getChannel(opened.sender, opened.openBlock)?.balance, 7n * price);
    const results = await receiverNode.withdraw(1n);
    assert.deepEqual(
      results.map((r) => [r.error, r.skipped]),
      [[undefined, undefined]],
    );
    const [, , withdrawn] = await readContract(site.publicClient, {
      address: chain.deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "getChannelInfo",
      args: [opened.sender, opened.receiver, opened.openBlock],
    });
    assert.equal(withdrawn, 7n * price, "the last proof, by B's key, redeemed with its delegation");
  });
});
