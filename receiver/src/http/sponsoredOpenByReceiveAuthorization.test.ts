// The one-signature sponsored open on USDC's own token (Circle's FiatToken V2.2, on a real chain): the reader signs one
// EIP-3009 ReceiveWithAuthorization whose nonce binds the channel's terms, the receiver submits
// openByReceiveAuthorization through its one nonce source and pays the gas. It keeps the permit path's rules (the
// receiver's token, manager and address, the minimum deposit, the deadline, the rate limits, a simulation on the
// pending block) and refuses without sending anything: the receiver's transaction count is compared around each.
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
  eip3009TokenAbi,
  encodeSponsoredOpenRequest,
  type OpenTerms,
  openByReceiveAuthorizationTypedData,
  openTermsNonce,
  type ReceiveAuthorizationOpenRequestBody,
  readTokenDomain,
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
  parseAbi,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";
import { receiverApp } from "./receiverApp.ts";

const USDC = 10n ** 6n;
const minDeposit = USDC;
const url = `http://receiver.test${apiPrefix}${apiPaths.sponsoredOpen}`;
/** The FiatToken's roles the deployer holds (startTestChain makes it pauser and blacklister). */
const fiatTokenRolesAbi = parseAbi([
  "function blacklist(address account)",
  "function unBlacklist(address account)",
  "function pause()",
  "function unpause()",
]);

let chain: TestChain;
let receiver: Receiver;
let app: Hono;
let publicClient: PublicClient;
let receiverAddress: Address;

before(async () => {
  chain = await startTestChain({ tokenKind: "usdc" });
  receiverAddress = getAddress(chain.accounts[2]?.address ?? assert.fail());
  publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail()),
    dbPath: join(await mkdtemp(join(tmpdir(), "sponsored-usdc-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
    sponsor: { minDeposit, perSender: { limit: 2, windowMs: 86_400_000 }, perClient: { limit: 100, windowMs: 1000 } },
  });
  app = receiverApp({
    receiver,
    routes: (site, { paywall }) => site.get("/article", paywall({ price: 1000n }), (c) => c.text("paid")),
  });
});
after(async () => {
  await receiver?.close();
  await chain?.close();
});

/** A fresh reader holding USDC and no ether. */
async function reader(tokens = 10n * USDC): Promise<LocalAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  if (tokens > 0n) await chain.mint(account.address, tokens);
  return account;
}

/**
 * What the client sends: the terms and `signAs`'s signature over them (`signed` changes what is signed, `sent` what
 * is sent after signing; `manager` the domain signed for).
 */
async function oneSignatureRequest(
  account: LocalAccount,
  options: {
    signed?: Partial<OpenTerms>;
    sent?: Partial<ReceiveAuthorizationOpenRequestBody>;
    signAs?: LocalAccount;
    manager?: { chainId: number; contract: Address };
  } = {},
): Promise<ReceiveAuthorizationOpenRequestBody> {
  const { chainId, channelManager, token } = chain.deployment;
  const latest = await publicClient.getBlock({ blockTag: "latest" });
  const terms: OpenTerms = {
    sender: account.address,
    receiver: receiverAddress,
    deposit: minDeposit,
    signer: privateKeyToAccount(generatePrivateKey()).address,
    validBefore: latest.timestamp + 600n,
    ...options.signed,
  };
  const receiveAuthorizationSignature = await (options.signAs ?? account).signTypedData(
    openByReceiveAuthorizationTypedData(
      await readTokenDomain(publicClient, token),
      options.manager ?? { chainId, contract: channelManager },
      terms,
    ),
  );
  return { contract: channelManager, token, ...terms, receiveAuthorizationSignature, ...options.sent };
}

function post(request: ReceiveAuthorizationOpenRequestBody, ip = "192.0.2.7") {
  const env = { incoming: { socket: { remoteAddress: ip, remotePort: 40000, remoteFamily: "IPv4" } } };
  return app.request(
    url,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(encodeSponsoredOpenRequest(request)),
    },
    env,
  );
}

const sentByReceiver = () => publicClient.getTransactionCount({ address: receiverAddress, blockTag: "pending" });

async function refused(answer: Response | Promise<Response>, status: number, code: string, message?: RegExp) {
  const before = await sentByReceiver();
  const response = await answer;
  const body: unknown = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  const { error } = decodeErrorBody(body);
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
  assert.equal(await sentByReceiver(), before, "no transaction was sent");
}

async function channelOf(sender: Address, openBlock: bigint) {
  const [, deposit, , , , signer] = await publicClient.readContract({
    address: chain.deployment.channelManager,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [sender, receiverAddress, openBlock],
  });
  return { deposit, signer };
}

/** Runs `block` while the deployer (the token's blacklister and pauser) has `call`ed, then undoes it. */
async function whileToken<T>(call: "blacklist" | "pause", account: Address | undefined, block: () => Promise<T>) {
  const deployer = createWalletClient({ account: chain.accounts[0] ?? assert.fail(), transport: http(chain.rpcUrl) });
  const send = async (functionName: "blacklist" | "unBlacklist" | "pause" | "unpause") => {
    const hash =
      functionName === "pause" || functionName === "unpause"
        ? await deployer.writeContract({
            chain: null,
            address: chain.deployment.token,
            abi: fiatTokenRolesAbi,
            functionName,
          })
        : await deployer.writeContract({
            chain: null,
            address: chain.deployment.token,
            abi: fiatTokenRolesAbi,
            functionName,
            args: [account ?? assert.fail()],
          });
    await publicClient.waitForTransactionReceipt({ hash });
  };
  await send(call);
  try {
    return await block();
  } finally {
    await send(call === "pause" ? "unpause" : "unBlacklist");
  }
}

describe("one-signature sponsored open on USDC", () => {
  let opened: ReceiveAuthorizationOpenRequestBody;

  it("the 402's offer names the one-signature request first, then the permit-based one", async () => {
    const response = await app.request("http://receiver.test/article");
    assert.equal(response.status, 402);
    const offer = { path: "/api/1/sponsored-open", minDeposit, kinds: ["receive-authorization", "permit"] };
    assert.deepEqual(decodeSponsorOfferHeader(response.headers), offer);
    assert.deepEqual(decodeX402ChannelOffer(response.headers)?.sponsor, offer, "x402's channel entry says the same");
  });

  it("opens the reader's channel from its one signature; the receiver pays the gas", async () => {
    const account = await reader();
    opened = await oneSignatureRequest(account);
    const response = await post(opened);
    assert.equal(response.status, 200);
    const { transactionHash, openBlock } = decodeSponsoredOpenResponseBody(await response.json());
    const receipt = await publicClient.getTransactionReceipt({ hash: transactionHash });
    assert.equal(getAddress(receipt.from), receiverAddress);
    assert.deepEqual(await channelOf(account.address, openBlock), { deposit: minDeposit, signer: opened.signer });
    assert.equal(await publicClient.getBalance({ address: account.address }), 0n);
    assert.equal(receiver.getChannel(account.address, openBlock)?.deposit, minDeposit);
  });

  it("a replayed authorization is refused (409 authorization_used)", async () => {
    await refused(post(opened, "192.0.2.8"), 409, "authorization_used");
  });

  it("terms other than the ones signed are refused (403 invalid_authorization)", async () => {
    const account = await reader();
    const request = await oneSignatureRequest(account);
    await refused(post({ ...request, deposit: request.deposit + 1n }), 403, "invalid_authorization");
    await refused(post({ ...request, signer: receiverAddress }), 403, "invalid_authorization");
    await refused(post({ ...request, validBefore: request.validBefore + 1n }), 403, "invalid_authorization");
    const other = await reader(0n);
    await refused(post(await oneSignatureRequest(account, { signAs: other })), 403, "invalid_authorization");
  });

  it("signed for another manager or another chain (403 invalid_authorization)", async () => {
    const account = await reader();
    const { chainId } = chain.deployment;
    const elsewhere = { chainId, contract: chain.deployment.token };
    await refused(post(await oneSignatureRequest(account, { manager: elsewhere })), 403, "invalid_authorization");
    const otherChain = { chainId: chainId + 1, contract: chain.deployment.channelManager };
    await refused(post(await oneSignatureRequest(account, { manager: otherChain })), 403, "invalid_authorization");
  });

  it("keeps the sponsor's rules: its token, manager and address, the minimum, the deadline", async () => {
    const account = await reader();
    const wrongToken = await oneSignatureRequest(account, { sent: { token: receiverAddress } });
    await refused(post(wrongToken), 400, "token_not_accepted");
    const wrongContract = await oneSignatureRequest(account, { sent: { contract: chain.deployment.token } });
    await refused(post(wrongContract), 400, "wrong_contract");
    const wrongReceiver = await oneSignatureRequest(account, { signed: { receiver: account.address } });
    await refused(post(wrongReceiver), 400, "wrong_receiver");
    const small = await oneSignatureRequest(account, { signed: { deposit: minDeposit - 1n } });
    await refused(post(small), 400, "deposit_too_small");
    const now = (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
    await refused(
      post(await oneSignatureRequest(account, { signed: { validBefore: now } })),
      400,
      "authorization_expired",
    );
    const tooLong = await oneSignatureRequest(account, { signed: { validBefore: now + 7200n } });
    await refused(post(tooLong), 400, "authorization_expired");
  });

  it("a reader without the tokens, a blocklisted reader or a paused token: 422 open_refused, nothing sent", async () => {
    await refused(post(await oneSignatureRequest(await reader(0n))), 422, "open_refused");
    const blocked = await reader();
    const request = await oneSignatureRequest(blocked);
    await whileToken("blacklist", blocked.address, () =>
      refused(post(request, "192.0.2.9"), 422, "open_refused", /Blacklistable: account is blacklisted/),
    );
    await whileToken("pause", undefined, () =>
      refused(post(request, "192.0.2.10"), 422, "open_refused", /Pausable: paused/),
    );
    // Neither used the authorization up (the reader's attempts did count against its allowance of opens).
    const used = await publicClient.readContract({
      address: chain.deployment.token,
      abi: eip3009TokenAbi,
      functionName: "authorizationState",
      args: [
        blocked.address,
        openTermsNonce({ chainId: chain.deployment.chainId, contract: chain.deployment.channelManager }, request),
      ],
    });
    assert.equal(used, false);
  });

  it("per sender: its allowance of opens, then 429 sponsor_limit with Retry-After", async () => {
    const account = await reader(100n * USDC);
    for (const ip of ["192.0.2.20", "192.0.2.21"]) {
      assert.equal((await post(await oneSignatureRequest(account), ip)).status, 200);
    }
    await refused(post(await oneSignatureRequest(account), "192.0.2.22"), 429, "sponsor_limit");
  });

  it("readers' opens at once all go through the receiver's one nonce source", async () => {
    const requests: ReceiveAuthorizationOpenRequestBody[] = [];
    // Minted one after another: the test chain's minter has no nonce manager of its own.
    for (let i = 0; i < 4; i++) requests.push(await oneSignatureRequest(await reader()));
    const before = await sentByReceiver();
    const responses = await Promise.all(requests.map((request, i) => post(request, `192.0.2.${30 + i}`)));
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200, 200],
    );
    assert.equal(await sentByReceiver(), before + 4);
  });
});
