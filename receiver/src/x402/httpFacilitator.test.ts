// The receiver with an external x402 facilitator instead of settling itself: the published @x402/core facilitator
// with @x402/evm's exact scheme (pinned, unmodified) served over HTTP, its own key paying the gas.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { x402Facilitator } from "@x402/core/facilitator";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { registerExactEvmScheme } from "@x402/evm/exact/facilitator";
import { decodePaymentResponseHeader, wrapFetchWithPaymentFromConfig } from "@x402/fetch";
import { Hono } from "hono";
import { createPublicClient, createWalletClient, defineChain, type Hex, http, publicActions, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { paywall } from "../http/paywall.ts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";

const price = 10_000n;
let chain: TestChain;
let receiver: Receiver;
const servers: ServerType[] = [];

function listen(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

let facilitatorAddress: Hex;
let url: string;
before(async () => {
  chain = await startTestChain({ tokenKind: "usdc" });
  const network = `eip155:${chain.deployment.chainId}` as const;
  const account = chain.accounts[5] ?? assert.fail();
  facilitatorAddress = account.address;
  const viemChain = defineChain({
    id: chain.deployment.chainId,
    name: "local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [chain.rpcUrl] } },
  });
  const client = createWalletClient({ account, chain: viemChain, transport: http(chain.rpcUrl) }).extend(publicActions);
  const facilitator = registerExactEvmScheme(new x402Facilitator(), {
    // As @x402/evm's README builds it; its signer type's verifyTypedData takes looser typed data than viem 2.57's
    // declares (the same call at run time).
    // @ts-expect-error
    signer: toFacilitatorEvmSigner({ ...client, address: account.address }),
    networks: network,
  });
  const api = new Hono();
  for (const action of ["verify", "settle"] as const) {
    api.post(`/${action}`, async (c) => {
      const body = await c.req.json();
      return c.json(await facilitator[action](body.paymentPayload, body.paymentRequirements));
    });
  }
  const facilitatorUrl = await listen(api);

  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(chain.accounts[2]?.getHdKey().privateKey ?? assert.fail()),
    dbPath: join(await mkdtemp(join(tmpdir(), "x402-facilitator-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
    exact: { facilitatorUrl },
  });
  const site = new Hono();
  site.get("/report", paywall({ receiver, price }), (c) => c.text("the paid report"));
  url = `${await listen(site)}/report`;
});
after(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await receiver?.close();
  await chain?.close();
});

it("settles exact through an external x402 facilitator: its transaction, the receiver paid, a replay refused", async () => {
  const payer = privateKeyToAccount(generatePrivateKey());
  await chain.mint(payer.address, 1_000_000n);
  const network = `eip155:${chain.deployment.chainId}` as const;
  const sent: Headers[] = [];
  const pay = wrapFetchWithPaymentFromConfig(
    async (input, init) => {
      const request = new Request(input, init);
      sent.push(request.headers);
      return fetch(request);
    },
    {
      schemes: [{ network, client: new ExactEvmScheme(payer) }],
      spendControls: { allowedAssets: [{ network, asset: chain.deployment.token }] },
    },
  );
  const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  const balance = () =>
    publicClient.readContract({
      address: chain.deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [receiver.address],
    });
  const before = await balance();
  const paid = await pay(url);
  assert.equal(paid.status, 200);
  assert.equal(await paid.text(), "the paid report");
  const settlement = decodePaymentResponseHeader(paid.headers.get("PAYMENT-RESPONSE") ?? "");
  assert.equal(settlement.success, true);
  const transaction = await publicClient.getTransaction({ hash: settlement.transaction as Hex });
  assert.equal(transaction.from, facilitatorAddress.toLowerCase(), "the facilitator sent it, not the receiver");
  assert.equal(await balance(), before + price);

  const used = sent.map((headers) => headers.get("PAYMENT-SIGNATURE")).find((value) => value !== null);
  const replay = await fetch(url, { headers: { "PAYMENT-SIGNATURE": used ?? "" } });
  assert.equal(replay.status, 402);
  assert.equal(await balance(), before + price);
});
