// The sponsored open against a real chain: the receiver (startReceiver with `sponsor`) opens readers' channels and pays
// the gas, and refuses everything it should without sending a transaction — its account's transaction count is
// compared before and after each refusal.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  apiPaths,
  apiPrefix,
  channelManagerAbi,
  decodeErrorBody,
  decodeSponsoredOpenResponseBody,
  decodeSponsorOfferHeader,
  decodeX402ChannelOffer,
  encodeSponsoredOpenRequest,
  encodeSponsoredOpenRequestBody,
  openByReceiveAuthorizationTypedData,
  readTokenDomain,
  type SponsoredOpenRequestBody,
} from "@micro-raiden/web-client/protocol";
import type { Hono } from "hono";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  type LocalAccount,
  type PublicClient,
  parseEther,
  parseGwei,
  parseSignature,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";
import { paywall } from "./paywall.ts";
import { receiverApp } from "./receiverApp.ts";
import { sponsoredOpenRequest } from "./sponsoredOpenRequest.test-helper.ts";

const minDeposit = parseEther("1");
const url = `http://receiver.test${apiPrefix}${apiPaths.sponsoredOpen}`;

let chain: TestChain;
let receiver: Receiver;
let app: Hono;
let publicClient: PublicClient;
let receiverAddress: Address;

before(async () => {
  chain = await startTestChain();
  const receiverKey = chain.accounts[2]?.getHdKey().privateKey ?? assert.fail();
  receiverAddress = getAddress(chain.accounts[2]?.address ?? assert.fail());
  publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiverKey),
    dbPath: join(await mkdtemp(join(tmpdir(), "sponsored-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
    sponsor: {
      minDeposit,
      perSender: { limit: 1, windowMs: 86_400_000 },
      perClient: { limit: 3, windowMs: 3_600_000 },
    },
  });
  app = receiverApp({
    receiver,
    routes: (site) => site.get("/article", paywall({ receiver, price: parseEther("0.001") }), (c) => c.text("paid")),
  });
});
after(async () => {
  await receiver.close();
  await chain.close();
});

/** A fresh reader holding tokens and no ether. */
async function reader(tokens = parseEther("10")): Promise<LocalAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  if (tokens > 0n) await chain.mint(account.address, tokens);
  return account;
}

/** What a client sends: a permit and an authorization signed by `account`, with `changes` signed over. */
function signedRequest(
  account: LocalAccount,
  changes: Partial<SponsoredOpenRequestBody> = {},
  signAs: LocalAccount = account,
): Promise<SponsoredOpenRequestBody> {
  return sponsoredOpenRequest({
    publicClient,
    deployment: chain.deployment,
    account,
    receiver: receiverAddress,
    deposit: minDeposit,
    changes,
    signAs,
  });
}

/** The latest block's timestamp: the chain's clock, which need not be the test's. */
async function chainTime(): Promise<bigint> {
  return (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
}

/** Posts a body (an object is sent as JSON, a string as is) from the client address `ip`, to `to` (default: `app`). */
function post(body: unknown, ip = "192.0.2.1", to: Hono = app) {
  // What @hono/node-server puts in the context: the connection's socket.
  const env = { incoming: { socket: { remoteAddress: ip, remotePort: 40000, remoteFamily: "IPv4" } } };
  return to.request(
    url,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
    env,
  );
}
const postRequest = (request: SponsoredOpenRequestBody, ip?: string, to?: Hono) =>
  post(encodeSponsoredOpenRequestBody(request), ip, to);

const sentByReceiver = () => publicClient.getTransactionCount({ address: receiverAddress, blockTag: "pending" });

/** Asserts the answer is the refusal `code` with `status`, and that the receiver sent no transaction for it. */
async function refused(answer: Response | Promise<Response>, status: number, code: string) {
  const before = await sentByReceiver();
  const response = await answer;
  const body: unknown = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(decodeErrorBody(body).error.code, code);
  assert.equal(await sentByReceiver(), before, "no transaction was sent");
  return response;
}

describe("sponsored open: the offer", () => {
  it("every 402 of a sponsoring receiver offers it: the endpoint, the minimum deposit, the permit-based request", async () => {
    const response = await app.request("http://receiver.test/article");
    assert.equal(response.status, 402);
    // The demo token has EIP-2612 and no EIP-3009: no one-signature request is offered.
    const offer = { path: "/api/1/sponsored-open", minDeposit, kinds: ["permit"] };
    assert.deepEqual(decodeSponsorOfferHeader(response.headers), offer);
    assert.deepEqual(decodeX402ChannelOffer(response.headers)?.sponsor, offer, "x402's channel entry says the same");
  });

  it("a one-signature request on a token without EIP-3009 is refused (422 open_refused), nothing sent", async () => {
    const account = await reader();
    const terms = {
      sender: account.address,
      receiver: receiverAddress,
      deposit: minDeposit,
      signer: privateKeyToAccount(generatePrivateKey()).address,
      validBefore: (await chainTime()) + 600n,
    };
    const { chainId, channelManager: contract, token } = chain.deployment;
    const receiveAuthorizationSignature = await account.signTypedData(
      openByReceiveAuthorizationTypedData(await readTokenDomain(publicClient, token), { chainId, contract }, terms),
    );
    const request = { contract, token, ...terms, receiveAuthorizationSignature };
    await refused(post(encodeSponsoredOpenRequest(request)), 422, "open_refused");
  });
});

describe("sponsored open: a reader with tokens and no ether", () => {
  let opened: SponsoredOpenRequestBody;

  it("gets its channel opened by the receiver, who pays the gas", async () => {
    const account = await reader();
    opened = await signedRequest(account);
    const receiverEther = await publicClient.getBalance({ address: receiverAddress });
    const response = await postRequest(opened);
    assert.equal(response.status, 200);
    const { transactionHash, openBlock } = decodeSponsoredOpenResponseBody(await response.json());
    const receipt = await publicClient.getTransactionReceipt({ hash: transactionHash });
    assert.equal(getAddress(receipt.from), receiverAddress);
    assert.equal(receipt.blockNumber, openBlock);
    const [, deposit, , , , signer] = await publicClient.readContract({
      address: chain.deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "getChannelInfo",
      args: [account.address, receiverAddress, openBlock],
    });
    assert.equal(deposit, minDeposit);
    assert.equal(signer, opened.signer);
    assert.equal(await publicClient.getBalance({ address: account.address }), 0n);
    assert.ok((await publicClient.getBalance({ address: receiverAddress })) < receiverEther);
    // The receiver synced before answering: the channel takes payments at once.
    assert.equal(receiver.getChannel(account.address, openBlock)?.deposit, minDeposit);
  });

  it("a replayed authorization is refused (409 authorization_used)", async () => {
    await refused(postRequest(opened), 409, "authorization_used");
  });
});

describe("sponsored open: refusals that send nothing", () => {
  it("another receiver (400 wrong_receiver)", async () => {
    const account = await reader();
    const other = getAddress(chain.accounts[3]?.address ?? assert.fail());
    await refused(postRequest(await signedRequest(account, { receiver: other })), 400, "wrong_receiver");
  });

  it("a deposit below the minimum (400 deposit_too_small)", async () => {
    const account = await reader();
    await refused(postRequest(await signedRequest(account, { deposit: minDeposit - 1n })), 400, "deposit_too_small");
  });

  it("another token, or another channel manager (400 token_not_accepted, wrong_contract)", async () => {
    const account = await reader();
    const elsewhere = getAddress(chain.accounts[4]?.address ?? assert.fail());
    await refused(postRequest(await signedRequest(account, { token: elsewhere })), 400, "token_not_accepted");
    await refused(postRequest(await signedRequest(account, { contract: elsewhere })), 400, "wrong_contract");
  });

  it("an expired authorization, or one valid for too long (400 authorization_expired)", async () => {
    const account = await reader();
    const now = await chainTime();
    await refused(postRequest(await signedRequest(account, { deadline: now - 1n })), 400, "authorization_expired");
    await refused(postRequest(await signedRequest(account, { deadline: now + 7200n })), 400, "authorization_expired");
  });

  it("an authorization not signed by the sender (403 invalid_authorization)", async () => {
    const account = await reader();
    const forger = await reader(0n);
    await refused(postRequest(await signedRequest(account, {}, forger)), 403, "invalid_authorization");
  });

  it("a nonce ahead of the sender's next one (409 authorization_used)", async () => {
    const account = await reader();
    await refused(postRequest(await signedRequest(account, { nonce: 1n })), 409, "authorization_used");
  });

  it("an open the chain would refuse, such as a sender without the tokens (422 open_refused)", async () => {
    const account = await reader(0n);
    await refused(postRequest(await signedRequest(account), "198.51.100.9"), 422, "open_refused");
  });

  it("malformed bodies (400 malformed_body) and an oversized one (413)", async () => {
    const valid = encodeSponsoredOpenRequestBody(await signedRequest(await reader()));
    for (const body of [
      "not json",
      "[]",
      { ...valid, deposit: 1 },
      { ...valid, deposit: "1.5" },
      { ...valid, nonce: "-1" },
      { ...valid, extra: "field" },
      { ...valid, permit_signature: "0x1234" },
      { ...valid, sender_address: "0xnot-an-address" },
      Object.fromEntries(Object.entries(valid).filter(([name]) => name !== "authorization_signature")),
    ]) {
      await refused(post(body), 400, "malformed_body");
    }
    await refused(post({ ...valid, padding: "x".repeat(4096) }), 413, "malformed_body");
  });
});

describe("sponsored open: rate limits", () => {
  it("per sender: one open a day, then 429 sponsor_limit with Retry-After", async () => {
    const account = await reader();
    assert.equal((await postRequest(await signedRequest(account), "203.0.113.1")).status, 200);
    const response = await refused(postRequest(await signedRequest(account), "203.0.113.2"), 429, "sponsor_limit");
    assert.ok(Number(response.headers.get("retry-after")) > 3600);
  });

  it("per client address: three opens an hour from one address, whoever the senders", async () => {
    const ip = "203.0.113.50";
    for (let i = 0; i < 3; i++) {
      assert.equal((await postRequest(await signedRequest(await reader()), ip)).status, 200);
    }
    await refused(postRequest(await signedRequest(await reader()), ip), 429, "sponsor_limit");
    // Another address is not held back by it.
    assert.equal((await postRequest(await signedRequest(await reader()), "203.0.113.51")).status, 200);
  });

  it("an open the receiver could not send (no ether for gas) counts against neither the sender nor the address", async () => {
    const account = await reader();
    const ip = "203.0.113.90";
    const ether = await publicClient.getBalance({ address: receiverAddress });
    await chain.testClient.setBalance({ address: receiverAddress, value: 0n });
    try {
      await refused(postRequest(await signedRequest(account), ip), 503, "sponsor_unavailable");
    } finally {
      await chain.testClient.setBalance({ address: receiverAddress, value: ether });
    }
    // One open a day per sender: this one is still the sender's first.
    const response = await postRequest(await signedRequest(account), ip);
    assert.equal(response.status, 200, JSON.stringify(await response.clone().json()));
  });
});

describe("sponsored open: front-run from the mempool", () => {
  it("when a copy of the receiver's pending open is mined first, the answer is the channel the copy opened", async () => {
    const account = await reader();
    const request = await signedRequest(account);
    const copier = createWalletClient({ account: chain.accounts[9] ?? assert.fail(), transport: http(chain.rpcUrl) });
    await chain.testClient.setAutomine(false);
    try {
      const sentBefore = await sentByReceiver();
      const answer = postRequest(request, "203.0.113.77");
      while ((await sentByReceiver()) === sentBefore) await new Promise((resolve) => setTimeout(resolve, 20));
      // The copier saw the pending transaction and submits the same call with a higher tip: it is mined first.
      const { v, r, s } = parseSignature(request.permitSignature);
      const copy = await copier.writeContract({
        chain: null,
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "openOnBehalf",
        args: [
          request.sender,
          request.receiver,
          request.deposit,
          request.signer,
          request.nonce,
          request.deadline,
          request.authorizationSignature,
          Number(v),
          r,
          s,
        ],
        gas: 300_000n,
        maxFeePerGas: parseGwei("1000"),
        maxPriorityFeePerGas: parseGwei("500"),
      });
      await chain.testClient.mine({ blocks: 1 });
      await chain.testClient.setAutomine(true);
      const response = await answer;
      assert.equal(response.status, 200);
      const { transactionHash, openBlock } = decodeSponsoredOpenResponseBody(await response.json());
      assert.equal(transactionHash, copy);
      const [, deposit] = await publicClient.readContract({
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "getChannelInfo",
        args: [account.address, receiverAddress, openBlock],
      });
      assert.equal(deposit, minDeposit);
    } finally {
      await chain.testClient.setAutomine(true);
    }
  });
});

describe("sponsored open: a sender's next open right after its first", () => {
  let generous: Receiver;
  let generousApp: Hono;
  before(async () => {
    generous = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[6]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "sponsored-generous-")), "receiver.db"),
      pollIntervalMs: 50,
      log: () => {},
      sponsor: { minDeposit, perSender: { limit: 5, windowMs: 86_400_000 } },
    });
    generousApp = receiverApp({ receiver: generous });
  });
  after(() => generous.close());

  it("is opened too: simulated on the pending block, not the one that holds the first (no ChannelExists)", async () => {
    const account = await reader();
    const blocks: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await postRequest(
        await signedRequest(account, { receiver: generous.address }),
        "203.0.113.60",
        generousApp,
      );
      const body: unknown = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      blocks.push(decodeSponsoredOpenResponseBody(body).openBlock);
    }
    for (const openBlock of blocks) {
      assert.equal(generous.getChannel(account.address, openBlock)?.deposit, minDeposit);
    }
  });
});

describe("sponsored open: off by default", () => {
  it("a receiver started without `sponsor` offers nothing and has no endpoint", async () => {
    const plain = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[5]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "unsponsored-")), "receiver.db"),
      log: () => {},
    });
    try {
      const plainApp = receiverApp({
        receiver: plain,
        routes: (site) => site.get("/article", paywall({ receiver: plain, price: 1n }), (c) => c.text("paid")),
      });
      const offer = await plainApp.request("http://receiver.test/article");
      assert.equal(offer.status, 402);
      assert.equal(decodeSponsorOfferHeader(offer.headers), undefined);
      const account = await reader();
      const answer = await plainApp.request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(encodeSponsoredOpenRequestBody(await signedRequest(account, { receiver: plain.address }))),
      });
      assert.equal(answer.status, 404);
      assert.equal(decodeErrorBody(await answer.json()).error.code, "not_found");
    } finally {
      await plain.close();
    }
  });
});

// Last: the chain's clock is moved two hours ahead of the test's and stays there.
describe("sponsored open: the deadline by the chain's clock", () => {
  before(async () => {
    await chain.testClient.increaseTime({ seconds: 7200 });
    await chain.testClient.mine({ blocks: 1 });
  });

  it("accepts a deadline ten minutes ahead of the chain's time on a chain two hours ahead of the receiver's clock", async () => {
    const response = await postRequest(await signedRequest(await reader()), "203.0.113.70");
    assert.equal(response.status, 200, JSON.stringify(await response.clone().json()));
  });

  it("refuses a deadline the chain's time has passed (400 authorization_expired) before it counts against anyone", async () => {
    const account = await reader();
    const ip = "203.0.113.71";
    // Ten minutes by a clock two hours behind the chain's: a reader with a slow clock.
    const slow = BigInt(Math.floor(Date.now() / 1000) + 600);
    await refused(postRequest(await signedRequest(account, { deadline: slow }), ip), 400, "authorization_expired");
    const response = await postRequest(await signedRequest(account), ip);
    assert.equal(response.status, 200, JSON.stringify(await response.clone().json()));
  });
});
