// Our client against a 402 that speaks x402 v2 too (the real receiver on USDC's own token, on a real chain): offered
// both our channel scheme and `exact`, it pays by channel; a server that advertises our scheme in PAYMENT-REQUIRED
// only, among schemes the client does not know, is paid the same way.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { paywall, type Receiver, receiverApp, startReceiver } from "@micro-raiden/receiver";
import { type Account, createPublicClient, createWalletClient, http, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fetchWithPayment } from "./actions/fetchWithPayment.ts";
import { getChannels } from "./actions/getChannels.ts";
import { type ChannelClient, createChannelClient } from "./client/createChannelClient.ts";
import { memoryLock } from "./locks/memoryLock.ts";
import { demoTokenAbi, headerNames } from "./protocol/index.ts";
import { memoryStorage } from "./storage/memoryStorage.ts";

const USDC = 10n ** 6n;
const price = 10_000n;
const origin = "http://receiver.test";

describe("our client and x402 v2's PAYMENT-REQUIRED", () => {
  let chain: TestChain;
  let receiver: Receiver;
  let app: ReturnType<typeof receiverApp>;

  before(async () => {
    chain = await startTestChain({ tokenKind: "usdc" });
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "x402-client-")), "receiver.db"),
      pollIntervalMs: 50,
      log: () => {},
    });
    app = receiverApp({
      receiver,
      routes: (site) => site.get("/report", paywall({ receiver, price }), (c) => c.text("the paid report")),
    });
  });
  after(async () => {
    await receiver?.close();
    await chain?.close();
  });

  async function reader(serve: (request: Request) => Response | Promise<Response>) {
    const account: Account = privateKeyToAccount(generatePrivateKey());
    await chain.mint(account.address, 2n * USDC);
    // The reader pays its own gas to open: ether from the chain's first account.
    const funder = chain.accounts[0] ?? assert.fail();
    const hash = await createWalletClient({ account: funder, transport: http(chain.rpcUrl) }).sendTransaction({
      chain: null,
      to: account.address,
      value: 10n ** 17n,
    });
    await createPublicClient({ transport: http(chain.rpcUrl) }).waitForTransactionReceipt({ hash });
    const client: ChannelClient = createChannelClient({
      account,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
      lock: memoryLock(),
      fetch: async (input, init) => serve(new Request(input, init)),
    });
    return client;
  }
  const receiverBalance = () =>
    createPublicClient({ transport: http(chain.rpcUrl) }).readContract({
      address: chain.deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [receiver.address],
    });

  it("offered the channel and exact, pays by channel: no transfer to the receiver, no exact payment", async () => {
    const unpaid = await app.request(`${origin}/report`);
    const offered = JSON.parse(atob(unpaid.headers.get(headerNames.paymentRequired) ?? ""));
    assert.deepEqual(
      offered.accepts.map((entry: { scheme: string }) => entry.scheme),
      ["micro-raiden-channel", "exact"],
    );
    const client = await reader((request) => app.request(request));
    const before = await receiverBalance();
    for (const _ of [1, 2]) {
      const paid = await fetchWithPayment(client, { input: `${origin}/report`, deposit: () => USDC });
      assert.equal(paid.status, 200);
      assert.equal(await paid.text(), "the paid report");
      assert.equal(paid.headers.get(headerNames.paymentResponse), null, "not an x402 settlement");
    }
    const [channel] = await getChannels(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      receiver: receiver.address,
    });
    assert.equal(channel?.balance, 2n * price);
    assert.equal(await receiverBalance(), before, "nothing transferred per request");
    assert.deepEqual(await receiver.exact?.ledger.list(), []);
  });

  it("pays a server that advertises our scheme in PAYMENT-REQUIRED only, among schemes it does not know", async () => {
    // The receiver's 402 as an x402-only server would send it: no RDN-* header, an unknown scheme listed first.
    const x402Only = async (request: Request) => {
      const response = await app.request(request);
      if (response.status !== 402) return response;
      const headers = new Headers();
      for (const [name, value] of response.headers) if (!/^rdn-/i.test(name)) headers.set(name, value);
      const required = JSON.parse(atob(headers.get(headerNames.paymentRequired) ?? ""));
      required.accepts.unshift({ scheme: "upto", network: "solana:mainnet", garbage: true });
      headers.set(headerNames.paymentRequired, btoa(JSON.stringify(required)));
      return new Response(response.body, { status: 402, headers });
    };
    const client = await reader(x402Only);
    const paid = await fetchWithPayment(client, { input: `${origin}/report`, deposit: () => USDC });
    assert.equal(paid.status, 200);
    assert.equal(await paid.text(), "the paid report");
    const [channel] = await getChannels(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      receiver: receiver.address,
    });
    assert.equal(channel?.balance, price);
  });
});
