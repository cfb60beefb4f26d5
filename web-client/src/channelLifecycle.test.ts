// The client against a real chain and the real receiver: Hardhat's node over HTTP with the real contracts
// (startTestChain), a viem account as sender (the machine-client path), and @micro-raiden/receiver's REST API served
// in-process (`app.request` as the client's fetch). Every step runs on both tokens: the demo token (18 decimals, with
// ERC-1363's transferAndCall) and USDC's own FiatToken V2.2 (6 decimals, permit or approve).

import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { type Receiver, receiverApp, startReceiver } from "@micro-raiden/receiver";
import { createClient, custom, http, parseUnits, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getBlockNumber, readContract } from "viem/actions";
import { closeChannel } from "./actions/closeChannel.ts";
import { closeChannelUncooperatively } from "./actions/closeChannelUncooperatively.ts";
import { detectDepositMethod } from "./actions/detectDepositMethod.ts";
import { openChannel } from "./actions/openChannel.ts";
import { pay } from "./actions/pay.ts";
import { refreshChannel } from "./actions/refreshChannel.ts";
import { requestClosingSignature } from "./actions/requestClosingSignature.ts";
import { settleChannel } from "./actions/settleChannel.ts";
import { syncChannels } from "./actions/syncChannels.ts";
import { topUp } from "./actions/topUp.ts";
import { watchChannels } from "./actions/watchChannels.ts";
import { type ChannelClient, createChannelClient } from "./client/createChannelClient.ts";
import { ChannelManagerRevertError } from "./errors/ChannelManagerRevertError.ts";
import { ReceiverApiError } from "./errors/ReceiverApiError.ts";
import { memoryLock } from "./locks/memoryLock.ts";
import {
  balanceProofTypedData,
  channelManagerAbi,
  demoTokenAbi,
  encodePaymentHeaders,
  headerNames,
} from "./protocol/index.ts";
import { memoryStorage } from "./storage/memoryStorage.ts";

const tokens = [
  { kind: "demo", decimals: 18, methods: ["permit", "erc1363", "approve"], best: "permit", topUpMethod: "erc1363" },
  { kind: "usdc", decimals: 6, methods: ["eip3009", "permit", "approve"], best: "eip3009", topUpMethod: "approve" },
] as const;

for (const token of tokens)
  describe(`channel lifecycle against a real chain (${token.kind} token)`, () => {
    let chain: TestChain;
    let client: ChannelClient;
    let receiverNode: Receiver;
    /** Whole tokens in the token's base units. */
    const units = (amount: string) => parseUnits(amount, token.decimals);
    const deposit = units("10");
    // What the stand-in receiver API was asked, to assert the close request carried the sender's own proof.
    const closeRequests: { url: string; body: unknown }[] = [];

    before(async () => {
      chain = await startTestChain({ tokenKind: token.kind });
      const [deployer, sender, receiver] = chain.accounts;
      assert.ok(deployer && sender && receiver);
      const { deployment } = chain;
      await chain.mint(sender.address, units("1000"));

      // The real receiver (its REST API in a Hono app, no port): the client's fetch is `app.request`. Every request is
      // recorded first, to assert the close request carried the sender's own proof.
      receiverNode = await startReceiver({
        rpcUrl: chain.rpcUrl,
        deployment,
        privateKey: toHex(receiver.getHdKey().privateKey ?? assert.fail()),
        dbPath: join(await mkdtemp(join(tmpdir(), "lifecycle-")), "receiver.db"),
        pollIntervalMs: 20,
        log: () => {},
      });
      const app = receiverApp({ receiver: receiverNode });
      const receiverApi: typeof fetch = async (input, init) => {
        const request = new Request(input, init);
        closeRequests.push({ url: request.url, body: await request.clone().json() });
        return app.request(request);
      };
      client = createChannelClient({
        account: sender,
        transport: http(chain.rpcUrl),
        storage: memoryStorage(),
        lock: memoryLock(),
        fetch: receiverApi,
      });
    });
    after(async () => {
      await receiverNode.close();
      await chain.close();
    });

    const manager = () => ({
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver: chain.accounts[2]?.address ?? "0x",
    });
    const senderAddress = () => chain.accounts[1]?.address ?? assert.fail();
    const onChain = (openBlock: bigint) =>
      readContract(client.publicClient, {
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "getChannelInfo",
        args: [senderAddress(), manager().receiver, openBlock],
      });

    for (const method of token.methods) {
      it(`opens a channel with ${method}, registering a session key as delegated signer`, async () => {
        const channel = await openChannel(client, { ...manager(), deposit, method });
        const [, onChainDeposit, , , , signer] = await onChain(channel.openBlock);
        assert.equal(onChainDeposit, deposit);
        assert.ok(channel.sessionKey && channel.delegatedSigner);
        assert.equal(signer, channel.delegatedSigner);
        assert.deepEqual(await client.storage.get(channel), channel);
      });
    }

    it("opens without a session key in wallet mode", async () => {
      const channel = await openChannel(client, { ...manager(), deposit, signing: "wallet" });
      assert.equal(channel.sessionKey, undefined);
      const [, , , , , signer] = await onChain(channel.openBlock);
      assert.equal(signer, "0x0000000000000000000000000000000000000000");
    });

    it(`detects the best deposit method the token supports (${token.best})`, async () => {
      assert.equal(await detectDepositMethod(client, { token: chain.deployment.token }), token.best);
    });

    it("tops up with each method", async () => {
      let channel = await openChannel(client, { ...manager(), deposit });
      for (const method of token.methods) {
        channel = await topUp(client, { channel, amount: units("1"), method });
      }
      assert.equal(channel.deposit, deposit + units(String(token.methods.length)));
      const [, onChainDeposit] = await onChain(channel.openBlock);
      assert.equal(onChainDeposit, channel.deposit);
    });

    it("counts a top-up once when a refresh (another tab, watchChannels) stored the new deposit first", async () => {
      const channel = await openChannel(client, { ...manager(), deposit });
      // Another tab refreshes the channel from the chain right after the top-up is mined, before this tab records it:
      // the first receipt this client reads comes back only once that refresh is stored.
      let raced = false;
      const racing: ChannelClient = {
        ...client,
        publicClient: createClient({
          transport: custom({
            async request({ method, params }) {
              const result: unknown = await client.publicClient.transport.request({ method, params });
              if (method === "eth_getTransactionReceipt" && result && !raced) {
                raced = true;
                await refreshChannel(client, channel);
              }
              return result;
            },
          }),
        }),
      };
      const toppedUp = await topUp(racing, { channel, amount: units("1"), method: token.topUpMethod });
      assert.ok(raced, "the refresh ran between the receipt and the top-up's own write");
      const [, onChainDeposit] = await onChain(channel.openBlock);
      assert.equal(onChainDeposit, deposit + units("1"));
      assert.equal(toppedUp.deposit, onChainDeposit);
      assert.equal((await client.storage.get(channel))?.deposit, onChainDeposit);
    });

    it("pays with the session key and records the balance only when accepted", async () => {
      const channel = await openChannel(client, { ...manager(), deposit });
      const refused = await pay(client, { channel, amount: 5n, send: async () => ({ accepted: false, result: "no" }) });
      assert.equal(refused, "no");
      assert.equal((await client.storage.get(channel))?.balance, 0n);
      let sent: Record<string, string> = {};
      await pay(client, {
        channel,
        amount: 7n,
        send: async (payment) => {
          sent = encodePaymentHeaders(payment);
          return { accepted: true, result: undefined };
        },
      });
      assert.equal((await client.storage.get(channel))?.balance, 7n);
      assert.equal(sent[headerNames.balance], "7");
    });

    it("closes cooperatively with the receiver's closing signature: the receiver gets the balance", async () => {
      let channel = await openChannel(client, { ...manager(), deposit });
      await pay(client, { channel, amount: units("2"), send: async () => ({ accepted: true, result: undefined }) });
      channel = (await client.storage.get(channel)) ?? channel;
      const receiverBefore = await tokenBalance(manager().receiver);
      await receiverNode.sync(); // the receiver has seen the channel open
      const closed = await closeChannel(client, { channel, gatewayUrl: "http://receiver.test/api/1" });
      assert.equal(closed.state, "closed");
      assert.equal((await tokenBalance(manager().receiver)) - receiverBefore, units("2"));
      const [, gone] = await onChain(channel.openBlock);
      assert.equal(gone, 0n);
      const last = closeRequests.at(-1);
      assert.equal(last?.url, `http://receiver.test/api/1/channels/${senderAddress()}/${channel.openBlock}`);
      assert.ok(typeof last?.body === "object" && last.body !== null);
      assert.equal(Reflect.get(last.body, "balance"), units("2").toString());
      assert.equal(Reflect.get(last.body, "balance_signature"), (await client.storage.get(channel))?.balanceSignature);
      // A close request of its own, valid for a few minutes.
      const deadline = BigInt(String(Reflect.get(last.body, "deadline")));
      const now = BigInt(Math.floor(Date.now() / 1000));
      assert.ok(deadline > now && deadline <= now + 600n);
    });

    it("a close request with a proof that is not the sender's is refused by the receiver: ReceiverApiError 403", async () => {
      const channel = await openChannel(client, { ...manager(), deposit });
      await receiverNode.sync();
      const stranger = privateKeyToAccount(generatePrivateKey());
      const forged = await stranger.signTypedData(
        balanceProofTypedData(
          { chainId: channel.chainId, contract: channel.contract },
          { sender: channel.sender, receiver: channel.receiver, openBlock: channel.openBlock, balance: 5n },
        ),
      );
      const gatewayUrl = "http://receiver.test/api/1";
      await assert.rejects(
        requestClosingSignature(client, { channel: { ...channel, balance: 5n, balanceSignature: forged }, gatewayUrl }),
        (error: unknown) => {
          assert.ok(error instanceof ReceiverApiError);
          assert.equal(error.status, 403);
          assert.equal(error.code, "unauthorized");
          return true;
        },
      );
    });

    it("closes uncooperatively, refuses to settle early, and settles after the challenge period", async () => {
      let channel = await openChannel(client, { ...manager(), deposit });
      await pay(client, { channel, amount: units("1"), send: async () => ({ accepted: true, result: undefined }) });
      channel = (await client.storage.get(channel)) ?? channel;
      const closing = await closeChannelUncooperatively(client, { channel });
      assert.equal(closing.state, "closing");
      assert.ok(closing.settleBlock);
      await assert.rejects(settleChannel(client, { channel: closing }), (error: unknown) => {
        assert.ok(error instanceof ChannelManagerRevertError);
        assert.equal(error.errorName, "ChallengePeriodNotOver");
        return true;
      });
      await chain.testClient.mine({ blocks: chain.deployment.challengePeriod + 1 });
      const senderBefore = await tokenBalance(senderAddress());
      const settled = await settleChannel(client, { channel: closing });
      assert.equal(settled.state, "closed");
      assert.equal((await tokenBalance(senderAddress())) - senderBefore, deposit - units("1"));
    });

    it("watchChannels reports on-chain changes to the account's channels", async () => {
      const channel = await openChannel(client, { ...manager(), deposit });
      const seen: { openBlock: bigint; deposit: bigint }[] = [];
      let notify = () => {};
      const changed = new Promise<void>((resolve) => {
        notify = resolve;
      });
      const unwatch = watchChannels(client, {
        ...manager(),
        pollingInterval: 50,
        onChange: (update) => {
          seen.push({ openBlock: update.openBlock, deposit: update.deposit });
          if (update.deposit === deposit + units("2")) notify();
        },
      });
      try {
        await topUp(client, { channel, amount: units("2"), method: token.topUpMethod });
        await changed;
      } finally {
        unwatch();
      }
      assert.ok(seen.some((s) => s.openBlock === channel.openBlock && s.deposit === deposit + units("2")));
    });

    it("watchChannels with fromBlock first reports what changed since that block", { timeout: 15_000 }, async () => {
      const channel = await openChannel(client, { ...manager(), deposit });
      await topUp(client, { channel, amount: units("1"), method: token.topUpMethod });
      const reported = new Promise<bigint>((resolve, reject) => {
        const unwatch = watchChannels(client, {
          ...manager(),
          fromBlock: channel.openBlock,
          pollingInterval: 50,
          onChange: (update) => {
            if (update.openBlock !== channel.openBlock) return;
            unwatch();
            resolve(update.deposit);
          },
          onError: reject,
        });
      });
      // Nothing happens on chain any more: only the past events can be reported.
      assert.equal(await reported, deposit + units("1"));
    });

    it("watchChannels reports and stores nothing of another reader's channels", { timeout: 15_000 }, async () => {
      const other = chain.accounts[3] ?? assert.fail();
      await chain.mint(other.address, units("10"));
      const otherClient = createChannelClient({
        account: other,
        transport: http(chain.rpcUrl),
        storage: memoryStorage(),
      });
      const reported: bigint[] = [];
      let oursOpenBlock: bigint | undefined;
      let done = () => {};
      const reachedOurs = new Promise<void>((resolve) => {
        done = resolve;
      });
      // Past blocks and live ones: another reader opens before and while this one watches.
      const from = await getBlockNumber(client.publicClient, { cacheTime: 0 });
      const before = await openChannel(otherClient, { ...manager(), deposit: units("1") });
      const unwatch = watchChannels(client, {
        ...manager(),
        fromBlock: from + 1n,
        pollingInterval: 50,
        onChange: (update) => {
          reported.push(update.openBlock);
          if (update.openBlock === oursOpenBlock) done();
        },
      });
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const during = await openChannel(otherClient, { ...manager(), deposit: units("1") });
        const ours = await openChannel(client, { ...manager(), deposit });
        oursOpenBlock = ours.openBlock;
        if (reported.includes(ours.openBlock)) done();
        await reachedOurs;
        // Before, another reader's ChannelCreated became a stored channel of this reader, closed with nothing in it:
        // newer than the reader's own, a paywall took it for their last channel and could not say how that ended.
        for (const theirs of [before, during]) {
          assert.ok(
            !reported.includes(theirs.openBlock),
            `the other reader's channel at ${theirs.openBlock} is not reported`,
          );
        }
        const stored = await client.storage.list({ ...manager(), sender: senderAddress() });
        assert.deepEqual(
          stored.filter((channel) => channel.openBlock >= before.openBlock).map((channel) => channel.openBlock),
          [ours.openBlock],
          "nor stored as one of this reader's",
        );
      } finally {
        unwatch();
      }
    });

    it("recovers its channels from chain events after losing local state", async () => {
      const opened = await openChannel(client, { ...manager(), deposit });
      const fresh = createChannelClient({
        account: chain.accounts[1] ?? assert.fail(),
        transport: http(chain.rpcUrl),
        storage: memoryStorage(),
      });
      const recovered = await syncChannels(fresh, {
        chainId: chain.deployment.chainId,
        contract: chain.deployment.channelManager,
        token: chain.deployment.token,
        fromBlock: BigInt(chain.deployment.deploymentBlock),
      });
      const match = recovered.find((c) => c.openBlock === opened.openBlock);
      assert.ok(match);
      assert.equal(match.state, "open");
      assert.equal(match.deposit, deposit);
      assert.equal(match.delegatedSigner, opened.delegatedSigner);
      assert.ok(
        recovered.some((c) => c.state === "closed"),
        "settled channels are recovered as closed",
      );
    });

    async function tokenBalance(address: `0x${string}`) {
      return readContract(client.publicClient, {
        address: chain.deployment.token,
        abi: demoTokenAbi,
        functionName: "balanceOf",
        args: [address],
      });
    }
  });
