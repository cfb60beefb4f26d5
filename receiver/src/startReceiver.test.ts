// A site owner's path, end to end on a real chain: a fresh Hono app that is not this repo's demo adds the paywall
// to its own route in a few lines, with a receiver started from options, and gets a 402 and then a paid 200.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  channelManagerAbi,
  decodePaymentResponseHeaders,
  decodePaywallSite,
  decodeX402ChannelOffer,
  demoTokenAbi,
  encodePaymentHeaders,
  headerNames,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { createPublicClient, createWalletClient, encodePacked, http, parseEther, parseEventLogs, toHex } from "viem";
import { paywall, type Receiver, receiverApi, startReceiver } from "./index.ts";

let chain: TestChain;
let receiver: Receiver;

before(async () => {
  chain = await startTestChain();
  const key = chain.accounts[2]?.getHdKey().privateKey;
  assert.ok(key);
  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(key),
    dbPath: join(await mkdtemp(join(tmpdir(), "site-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
  });
});
after(async () => {
  await receiver?.close();
  await chain?.close();
});

/** Opens a channel from `sender` to the receiver in one ERC-1363 transaction; returns its open block. */
async function openChannel(deposit: bigint): Promise<{ sender: (typeof chain.accounts)[number]; openBlock: bigint }> {
  const sender = chain.accounts[1];
  assert.ok(sender);
  await chain.mint(sender.address, deposit);
  const transport = http(chain.rpcUrl);
  const hash = await createWalletClient({ account: sender, transport }).writeContract({
    chain: null,
    address: chain.deployment.token,
    abi: demoTokenAbi,
    functionName: "transferAndCall",
    args: [chain.deployment.channelManager, deposit, encodePacked(["address"], [receiver.address])],
  });
  const receipt = await createPublicClient({ transport }).waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
  assert.ok(created);
  return { sender, openBlock: created.args.openBlock };
}

describe("a site owner's own Hono app", () => {
  it("charges its own route with paywall() and a receiver started from options: 402, then a paid 200", async () => {
    // The site owner's code, as the receiver README shows it:
    const { Hono } = await import("hono");
    const app = new Hono();
    app.route(receiver.gatewayPath, receiverApi({ receiver }));
    app.get("/report", paywall({ receiver, price: parseEther("0.01") }), (c) => c.text("the paid report"));
    app.get("/", (c) => c.text("free home page"));

    const unpaid = await app.request("/report");
    assert.equal(unpaid.status, 402);
    const { requirements } = decodePaymentResponseHeaders(unpaid.headers);
    assert.equal(requirements.price, parseEther("0.01"));
    assert.equal(requirements.receiver, receiver.address);
    assert.equal((await app.request("/")).status, 200, "routes without the paywall stay free");
    // The demo token has no EIP-3009: x402 clients are offered our channel scheme only, no `exact`.
    assert.deepEqual(decodeX402ChannelOffer(unpaid.headers), { requirements, sponsor: undefined });
    const x402: unknown = JSON.parse(atob(unpaid.headers.get(headerNames.paymentRequired) ?? ""));
    assert.deepEqual(
      Reflect.get(Object(x402), "accepts").map((entry: { scheme: string }) => entry.scheme),
      ["micro-raiden-channel"],
    );
    assert.equal(receiver.exact, undefined);

    const { sender, openBlock } = await openChannel(parseEther("1"));
    const signature = await sender.signTypedData(
      balanceProofTypedData(
        { chainId: requirements.chainId, contract: requirements.contract },
        { sender: sender.address, receiver: requirements.receiver, openBlock, balance: requirements.price },
      ),
    );
    const paid = await app.request("/report", {
      headers: encodePaymentHeaders({
        contract: requirements.contract,
        receiver: requirements.receiver,
        sender: sender.address,
        openBlock,
        balance: requirements.price,
        signature,
      }),
    });
    assert.equal(paid.status, 200);
    assert.equal(await paid.text(), "the paid report");
    assert.equal(paid.headers.get(headerNames.senderBalance), requirements.price.toString());
    assert.equal(receiver.getChannel(sender.address, openBlock)?.balance, requirements.price);

    const stats = await app.request(`${receiver.gatewayPath}/stats`);
    assert.equal(stats.status, 200);
    assert.equal(((await stats.json()) as { open_channels: number }).open_channels, 1);
  });
});

describe("what the 402 page tells the paywall about the chain and the token", () => {
  it("a local chain's RPC URL, the token's symbol and decimals: the paywall needs no configuration", async () => {
    const app = new Hono();
    app.get("/paid", paywall({ receiver, price: parseEther("0.001") }), (c) => c.text("paid"));
    const page = await (await app.request("/paid", { headers: { accept: "text/html" } })).text();
    const tag = /<section id="micro-raiden-paywall"([^>]*)>/.exec(page)?.[1] ?? assert.fail("no paywall element");
    const attributes = new Map([...tag.matchAll(/\s([a-z-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
    assert.deepEqual(decodePaywallSite({ getAttribute: (name) => attributes.get(name) ?? null }), {
      rpcUrl: chain.rpcUrl,
      chainName: undefined,
      token: { symbol: "TKN", decimals: 18 },
    });
  });

  it("a public RPC URL and chain name the site owner gives instead", async () => {
    const named = await startReceiver({
      rpcUrl: chain.rpcUrl,
      publicRpcUrl: "https://rpc.example/",
      chainName: "Example chain",
      deployment: chain.deployment,
      privateKey: toHex(chain.accounts[3]?.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "site-")), "receiver.db"),
      log: () => {},
    });
    try {
      assert.equal(named.site.rpcUrl, "https://rpc.example/");
      assert.equal(named.site.chainName, "Example chain");
    } finally {
      await named.close();
    }
  });
});
