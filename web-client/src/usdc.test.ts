// The client on USDC's own token (Circle's FiatToken V2.2 behind its proxy, on a real chain with the real receiver):
// USDC has no ERC-5267 eip712Domain(), so its EIP-712 domain comes from name() and version(); permits signed in it
// open channels, by the reader's own transaction and through the receiver's sponsor.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { paywall, type Receiver, receiverApp, startReceiver } from "@micro-raiden/receiver";
import { type Account, createPublicClient, custom, domainSeparator, http, parseAbi, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount, toAccount } from "viem/accounts";
import { detectDepositMethod } from "./actions/detectDepositMethod.ts";
import { fetchWithPayment } from "./actions/fetchWithPayment.ts";
import { openChannel } from "./actions/openChannel.ts";
import { type ChannelClient, createChannelClient } from "./client/createChannelClient.ts";
import { memoryLock } from "./locks/memoryLock.ts";
import { encodeSponsorOfferHeader, headerNames, readTokenDomain, type SponsoredOpenKind } from "./protocol/index.ts";
import { memoryStorage } from "./storage/memoryStorage.ts";

/** One USDC in base units (6 decimals). */
const USDC = 10n ** 6n;
const origin = "http://receiver.test";

describe("the client on USDC's own token", () => {
  let chain: TestChain;
  let demoChain: TestChain;
  let receiver: Receiver;
  let app: ReturnType<typeof receiverApp>;

  before(async () => {
    chain = await startTestChain({ tokenKind: "usdc" });
    demoChain = await startTestChain();
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "usdc-client-")), "receiver.db"),
      pollIntervalMs: 50,
      log: () => {},
      sponsor: { minDeposit: USDC },
    });
    app = receiverApp({
      receiver,
      routes: (site) => {
        site.get("/article", paywall({ receiver, price: 1000n }), (c) => c.text("the paid article"));
        // The same article whose 402 offers the permit-based sponsored open only, as a receiver may.
        site.get(
          "/permit-offer/article",
          async (c, next) => {
            await next();
            const offer = receiver.sponsor?.offer;
            if (c.res.status === 402 && offer) {
              const [[name, value] = []] = Object.entries(encodeSponsorOfferHeader({ ...offer, kinds: ["permit"] }));
              if (name && value) c.res.headers.set(name, value);
            }
          },
          paywall({ receiver, price: 1000n }),
          (c) => c.text("the paid article"),
        );
      },
    });
  });
  after(async () => {
    await receiver?.close();
    await chain?.close();
    await demoChain?.close();
  });

  /** A reader holding USDC and no ether, whose key records what it is asked to sign (typed data's primary type). */
  async function newReader() {
    const key = privateKeyToAccount(generatePrivateKey());
    await chain.mint(key.address, 10n * USDC);
    const signed: string[] = [];
    const account = toAccount({
      address: key.address,
      signMessage: (parameters) => key.signMessage(parameters),
      signTransaction: (transaction, options) => key.signTransaction(transaction, options),
      signTypedData: (typedData) => {
        signed.push(String(typedData.primaryType));
        return key.signTypedData(typedData);
      },
    });
    return { account, signed };
  }

  /** A client for `account`; `sent` records the transactions and signing requests that reach its transport. */
  function clientFor(account: Account, sent: string[] = []): ChannelClient {
    const rpc = http(chain.rpcUrl)({});
    return createChannelClient({
      account,
      // A local account signs in viem without the transport: the transport sees only chain reads and writes.
      transport: custom({
        async request({ method, params }) {
          if (method.startsWith("eth_send") || method.startsWith("eth_sign")) sent.push(method);
          return rpc.request({ method, params } as never);
        },
      }),
      storage: memoryStorage(),
      lock: memoryLock(),
      signing: "session",
      fetch: async (input, init) => app.request(new Request(input, init)),
    });
  }

  const manager = () => ({
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
  });

  it("reads USDC's EIP-712 domain from name() and version(): the token's own DOMAIN_SEPARATOR", async () => {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    const domain = await readTokenDomain(publicClient, chain.deployment.token);
    assert.deepEqual(domain, {
      name: "USD Coin",
      version: "2",
      chainId: chain.deployment.chainId,
      verifyingContract: chain.deployment.token,
    });
    const separator = await publicClient.readContract({
      address: chain.deployment.token,
      abi: parseAbi(["function DOMAIN_SEPARATOR() view returns (bytes32)"]),
      functionName: "DOMAIN_SEPARATOR",
    });
    assert.equal(domainSeparator({ domain }), separator);
  });

  it("reads the demo token's domain from its eip712Domain()", async () => {
    const publicClient = createPublicClient({ transport: http(demoChain.rpcUrl) });
    assert.deepEqual(await readTokenDomain(publicClient, demoChain.deployment.token), {
      name: "Demo Token",
      version: "1",
      chainId: demoChain.deployment.chainId,
      verifyingContract: demoChain.deployment.token,
    });
  });

  it("rejects for an address whose code has no EIP-712 domain (none at all)", async () => {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    await assert.rejects(readTokenDomain(publicClient, "0x000000000000000000000000000000000000dEaD"));
  });

  it("opens a channel with a USDC permit by the reader's own transaction", async () => {
    const account = chain.accounts[3] ?? assert.fail();
    await chain.mint(account.address, 10n * USDC);
    const channel = await openChannel(clientFor(account), {
      ...manager(),
      receiver: receiver.address,
      deposit: 2n * USDC,
      method: "permit",
    });
    assert.equal(channel.deposit, 2n * USDC);
    assert.ok(channel.sessionKey);
  });

  it("detects USDC as an EIP-3009 token, and the demo token as a permit token", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    assert.equal(await detectDepositMethod(clientFor(account), { token: chain.deployment.token }), "eip3009");
    const demo = createChannelClient({ account, transport: http(demoChain.rpcUrl), storage: memoryStorage() });
    assert.equal(await detectDepositMethod(demo, { token: demoChain.deployment.token }), "permit");
  });

  /** `account`'s channel of 2 USDC, opened by the receiver's sponsor (`kind`: the request made, default by the token). */
  const openSponsored = (account: Account, kind?: SponsoredOpenKind) =>
    openChannel(clientFor(account), {
      ...manager(),
      receiver: receiver.address,
      deposit: 2n * USDC,
      method: "sponsored",
      kind,
      sponsorUrl: `${origin}/api/1/sponsored-open`,
    });

  it("a sponsored open on USDC is one ReceiveWithAuthorization: the reader has no ether and signs once", async () => {
    const { account, signed } = await newReader();
    const channel = await openSponsored(account);
    assert.equal(channel.deposit, 2n * USDC);
    assert.ok(channel.sessionKey);
    assert.deepEqual(signed, ["ReceiveWithAuthorization"]);
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    assert.equal(await publicClient.getBalance({ address: account.address }), 0n);
  });

  it("a sponsored open of the kind an offer takes: permit on USDC is a Permit and an OpenAuthorization", async () => {
    const { account, signed } = await newReader();
    const channel = await openSponsored(account, "permit");
    assert.equal(channel.deposit, 2n * USDC);
    assert.deepEqual(signed, ["Permit", "OpenAuthorization"]);
  });

  it("fetchWithPayment makes the request the 402's offer names: a permit-only offer gets a permit", async () => {
    const { account, signed } = await newReader();
    const probe = await app.request(`${origin}/permit-offer/article`);
    assert.match(probe.headers.get(headerNames.sponsoredOpen) ?? "", /kinds=permit$/);
    const sent: string[] = [];
    const response = await fetchWithPayment(clientFor(account, sent), {
      input: `${origin}/permit-offer/article`,
      deposit: () => USDC,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(signed, ["Permit", "OpenAuthorization"], "not the one signature the offer did not name");
    assert.deepEqual(sent, [], "the receiver sent the open");
  });

  it("fetchWithPayment pays a USDC paywall through a one-signature sponsored open", async () => {
    const { account, signed } = await newReader();
    const sent: string[] = [];
    const response = await fetchWithPayment(clientFor(account, sent), {
      input: `${origin}/article`,
      deposit: () => USDC,
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "the paid article");
    assert.deepEqual(signed, ["ReceiveWithAuthorization"], "the open took one signature, the payment none");
    assert.deepEqual(sent, [], "nothing was sent from the reader's account");
  });
});
