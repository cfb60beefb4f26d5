// The sponsored open from the client's side, against a real chain and the real receiver (@micro-raiden/receiver with
// `sponsor`, its app served in-process as the client's fetch): a reader holding tokens and no ether gets a paid 200,
// and a reader the receiver refuses opens the channel itself.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { paywall, type Receiver, receiverApp, startReceiver } from "@micro-raiden/receiver";
import { type Account, type Address, createPublicClient, getAddress, http, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fetchWithPayment } from "./actions/fetchWithPayment.ts";
import { getChannels } from "./actions/getChannels.ts";
import { openChannel } from "./actions/openChannel.ts";
import { type ChannelClient, createChannelClient } from "./client/createChannelClient.ts";
import { PaymentRateExceededError } from "./errors/PaymentRateExceededError.ts";
import { ReceiverApiError } from "./errors/ReceiverApiError.ts";
import { memoryLock } from "./locks/memoryLock.ts";
import { apiPaths, apiPrefix, headerNames } from "./protocol/index.ts";
import { memoryStorage } from "./storage/memoryStorage.ts";

const origin = "http://receiver.test";
const minDeposit = parseEther("1");
const articlePrice = parseEther("0.001");
/** Dearer than a minimum deposit: a reader's first channel cannot pay for it, so a second one is opened. */
const reportPrice = parseEther("2");

describe("sponsored open, client side, against a real chain", () => {
  let chain: TestChain;
  let receiver: Receiver;
  let app: ReturnType<typeof receiverApp>;

  before(async () => {
    chain = await startTestChain();
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "sponsored-client-")), "receiver.db"),
      pollIntervalMs: 50,
      log: () => {},
      sponsor: { minDeposit, perSender: { limit: 1, windowMs: 86_400_000 } },
    });
    app = receiverApp({
      receiver,
      routes: (site) => {
        site.get("/article", paywall({ receiver, price: articlePrice }), (c) => c.text("the paid article"));
        site.get("/report", paywall({ receiver, price: reportPrice }), (c) => c.text("the paid report"));
      },
    });
  });
  after(async () => {
    await receiver.close();
    await chain.close();
  });

  /**
   * A channel client for `account` whose fetch is the receiver's app (or `answer`, when it answers a request itself);
   * every URL it asked for is recorded.
   */
  function clientFor(account: Account, answer: (request: Request) => Response | undefined = () => undefined) {
    const asked: string[] = [];
    const client: ChannelClient = createChannelClient({
      account,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
      lock: memoryLock(),
      fetch: async (input, init) => {
        const request = new Request(input, init);
        asked.push(`${request.method} ${new URL(request.url).pathname}`);
        return answer(request) ?? app.request(request);
      },
    });
    return { client, asked };
  }
  const etherOf = (address: Address) => createPublicClient({ transport: http(chain.rpcUrl) }).getBalance({ address });

  it("a reader with tokens and no ether opens a channel through the receiver and gets a paid 200", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.mint(account.address, parseEther("5"));
    const { client, asked } = clientFor(account);
    const response = await fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "the paid article");
    assert.equal(response.headers.get(headerNames.senderBalance), articlePrice.toString());
    assert.deepEqual(asked, ["GET /article", `POST ${apiPrefix}${apiPaths.sponsoredOpen}`, "GET /article"]);
    assert.equal(await etherOf(account.address), 0n, "the reader never had or spent ether");
    const [channel] = await getChannels(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      receiver: receiver.address,
    });
    assert.ok(channel);
    assert.equal(channel.deposit, minDeposit);
    assert.equal(channel.balance, articlePrice);
    assert.ok(channel.sessionKey, "the channel's session key was registered by the sponsored open");
  });

  it("a channel opened to pay as it goes, under a policy with a rate, is bounded like one a paywall opens", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.mint(account.address, parseEther("5"));
    const { client: plain } = clientFor(account);
    const client: ChannelClient = { ...plain, policy: { maxPaymentsPerMinute: 2 } };
    const response = await fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit });
    assert.equal(response.status, 200);
    const [channel] = await getChannels(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      receiver: receiver.address,
    });
    assert.deepEqual(channel?.autoPay, { maxPrice: articlePrice, perMinute: 2 });
    // Two automatic payments a minute: the second article is paid, the third is not.
    assert.equal((await fetchWithPayment(client, { input: `${origin}/article` })).status, 200);
    await assert.rejects(fetchWithPayment(client, { input: `${origin}/article` }), PaymentRateExceededError);
  });

  it("openChannel with method sponsored opens in the reader's name; a refusal is ReceiverApiError", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.mint(account.address, parseEther("5"));
    const { client } = clientFor(account);
    const manager = {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver: receiver.address,
    };
    const sponsorUrl = `${origin}${apiPrefix}${apiPaths.sponsoredOpen}`;
    const channel = await openChannel(client, { ...manager, deposit: minDeposit, method: "sponsored", sponsorUrl });
    assert.equal(getAddress(channel.sender), account.address);
    assert.equal(channel.deposit, minDeposit);
    await assert.rejects(
      openChannel(client, { ...manager, deposit: minDeposit - 1n, method: "sponsored", sponsorUrl }),
      (error: unknown) =>
        error instanceof ReceiverApiError && error.status === 400 && error.code === "deposit_too_small",
    );
  });

  it("when the receiver refuses (its per-sender limit), the reader opens the channel itself and is served", async () => {
    // A reader with ether: its first sponsored open spends the receiver's allowance of one a day for it.
    const account = chain.accounts[6] ?? assert.fail();
    await chain.mint(account.address, parseEther("10"));
    const { client, asked } = clientFor(account);
    assert.equal(
      (await fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit })).status,
      200,
    );
    const etherBefore = await etherOf(account.address);
    asked.length = 0;

    const response = await fetchWithPayment(client, { input: `${origin}/report`, deposit: () => 3n * minDeposit });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "the paid report");
    assert.deepEqual(asked, ["GET /report", `POST ${apiPrefix}${apiPaths.sponsoredOpen}`, "GET /report"]);
    assert.ok((await etherOf(account.address)) < etherBefore, "the reader paid the gas of its second open");
    const channels = await getChannels(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      receiver: receiver.address,
    });
    assert.deepEqual(channels.map((c) => c.deposit).sort(), [minDeposit, 3n * minDeposit]);
  });

  it("without an offer (a deposit below the minimum) the reader pays the gas and the receiver is not asked", async () => {
    const account = chain.accounts[7] ?? assert.fail();
    await chain.mint(account.address, parseEther("1"));
    const { client, asked } = clientFor(account);
    const response = await fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit / 2n });
    assert.equal(response.status, 200);
    assert.deepEqual(asked, ["GET /article", "GET /article"]);
  });

  it("an answer without a protocol code (a crash after sending, say) is not a refusal: no second open, an error", async () => {
    const account = chain.accounts[8] ?? assert.fail();
    await chain.mint(account.address, parseEther("2"));
    const crash = (request: Request) =>
      request.method === "POST" ? new Response("Internal Server Error", { status: 500 }) : undefined;
    const { client, asked } = clientFor(account, crash);
    const ether = await etherOf(account.address);
    await assert.rejects(
      fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit }),
      (error: unknown) => error instanceof ReceiverApiError && error.status === 500 && error.code === undefined,
    );
    assert.deepEqual(asked, ["GET /article", `POST ${apiPrefix}${apiPaths.sponsoredOpen}`]);
    assert.equal(await etherOf(account.address), ether, "the reader sent no transaction of its own");
  });

  // Last: it moves the chain's clock an hour past the wall clock for good.
  it("a reader whose clock is behind the chain's still opens: the deadlines come from the chain's time", async () => {
    await chain.testClient.increaseTime({ seconds: 3600 });
    await chain.testClient.mine({ blocks: 1 });
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.mint(account.address, parseEther("5"));
    const { client } = clientFor(account);
    const response = await fetchWithPayment(client, { input: `${origin}/article`, deposit: () => minDeposit });
    assert.equal(response.status, 200);
    assert.equal(await etherOf(account.address), 0n, "the receiver paid the gas");
  });
});
