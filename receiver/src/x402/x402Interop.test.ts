// The proof that x402 v2 clients nobody here wrote can pay a site behind this receiver: the published @x402/fetch and
// @x402/evm (pinned, unmodified) pay `exact` on a real local chain with USDC's own FiatToken, and every way of
// presenting a bad authorization is refused in x402's terms without moving a token.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  decodePaymentResponseHeaders,
  demoTokenAbi,
  headerNames,
  type TransferAuthorization,
  transferWithAuthorizationTypedData,
} from "@micro-raiden/web-client/protocol";
import { decodePaymentRequiredHeader } from "@x402/core/http";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { decodePaymentResponseHeader, wrapFetchWithPaymentFromConfig } from "@x402/fetch";
import { Hono } from "hono";
import { createPublicClient, type Hex, http, type LocalAccount, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { paywall } from "../http/paywall.ts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";

const price = 10_000n; // 0.01 USDC
let chain: TestChain;
let receiver: Receiver;
let server: ServerType;
let url: string;
let handlerFails = false;
const publicClient = () => createPublicClient({ transport: http(chain.rpcUrl) });

before(async () => {
  chain = await startTestChain({ tokenKind: "usdc" });
  const key = chain.accounts[2]?.getHdKey().privateKey;
  assert.ok(key);
  receiver = await startReceiver({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(key),
    dbPath: join(await mkdtemp(join(tmpdir(), "x402-")), "receiver.db"),
    pollIntervalMs: 50,
    log: () => {},
  });
  const app = new Hono();
  app.get("/report", paywall({ receiver, price }), (c) =>
    handlerFails ? c.text("broken", 500) : c.text("the paid report"),
  );
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      url = `http://127.0.0.1:${info.port}/report`;
      resolve();
    });
  });
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await receiver?.close();
  await chain?.close();
});

const balanceOf = (address: Hex) =>
  publicClient().readContract({
    address: chain.deployment.token,
    abi: demoTokenAbi,
    functionName: "balanceOf",
    args: [address],
  });

/** A payer with 1 USDC and no ETH: x402's `exact` costs the payer no gas. */
async function newPayer(): Promise<LocalAccount> {
  const payer = privateKeyToAccount(generatePrivateKey());
  await chain.mint(payer.address, 1_000_000n);
  return payer;
}

/** @x402/fetch as its README sets it up, plus the one documented opt-in for a token that is not a default asset. */
function x402Fetch(payer: LocalAccount, seen: Headers[] = []) {
  const network = `eip155:${chain.deployment.chainId}` as const;
  const recording: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    seen.push(request.headers);
    return fetch(request);
  };
  return wrapFetchWithPaymentFromConfig(recording, {
    schemes: [{ network, client: new ExactEvmScheme(payer) }],
    spendControls: { allowedAssets: [{ network, asset: chain.deployment.token }] },
  });
}

describe("x402 v2 clients paying the receiver's 402", () => {
  it("offers the channel scheme and exact in PAYMENT-REQUIRED beside the RDN headers", async () => {
    const unpaid = await fetch(url);
    assert.equal(unpaid.status, 402);
    assert.equal(decodePaymentResponseHeaders(unpaid.headers).requirements.price, price);
    const header = unpaid.headers.get("PAYMENT-REQUIRED");
    assert.ok(header);
    const required = decodePaymentRequiredHeader(header);
    assert.equal(required.x402Version, 2);
    assert.equal(required.resource.url, url);
    assert.deepEqual(
      required.accepts.map((entry) => [entry.scheme, entry.network, entry.amount, entry.asset, entry.payTo]),
      [
        ["micro-raiden-channel", "eip155:31337", "10000", chain.deployment.token, receiver.address],
        ["exact", "eip155:31337", "10000", chain.deployment.token, receiver.address],
      ],
    );
    assert.deepEqual(required.accepts[1]?.extra, { name: "USD Coin", version: "2" });
    assert.equal(required.accepts[0]?.extra.channelManager, chain.deployment.channelManager);
  });

  it("is paid by @x402/fetch with exact: content served, the receiver's balance up by the price, again next time", async () => {
    const payer = await newPayer();
    const pay = x402Fetch(payer);
    const before = await balanceOf(receiver.address);

    const first = await pay(url);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), "the paid report");
    const settlement = decodePaymentResponseHeader(first.headers.get("PAYMENT-RESPONSE") ?? "");
    assert.equal(settlement.success, true);
    assert.equal(settlement.network, "eip155:31337");
    assert.equal(settlement.payer, payer.address);
    const receipt = await publicClient().getTransactionReceipt({ hash: settlement.transaction as Hex });
    assert.equal(receipt.status, "success");
    assert.equal(await balanceOf(receiver.address), before + price);

    const second = await pay(url);
    assert.equal(second.status, 200);
    assert.equal(await second.text(), "the paid report");
    const again = decodePaymentResponseHeader(second.headers.get("PAYMENT-RESPONSE") ?? "");
    assert.notEqual(again.transaction, settlement.transaction, "one transfer per request");
    assert.equal(await balanceOf(receiver.address), before + 2n * price);
    assert.equal(await balanceOf(payer.address), 1_000_000n - 2n * price);
    assert.deepEqual(receiver.listChannels(), [], "no channel was opened");

    const records = (await receiver.exact?.ledger.list()) ?? [];
    const mine = records.filter((record) => record.payer === payer.address);
    assert.deepEqual(
      mine.map((record) => [record.state, record.amount, record.request, record.transaction]),
      [
        ["settled", price, "GET /report", settlement.transaction],
        ["settled", price, "GET /report", again.transaction],
      ],
    );
  });

  describe("refuses in x402's terms and moves nothing", () => {
    const network = "eip155:31337";
    async function authorization(payer: LocalAccount, overrides: Partial<TransferAuthorization> = {}) {
      const now = BigInt(Math.floor(Date.now() / 1000));
      return {
        from: payer.address,
        to: receiver.address,
        value: price,
        validAfter: 0n,
        validBefore: now + 120n,
        nonce: toHex(crypto.getRandomValues(new Uint8Array(32))),
        ...overrides,
      };
    }
    async function signed(
      signer: LocalAccount,
      message: TransferAuthorization,
      options: { chainId?: number; accepted?: Record<string, unknown> } = {},
    ) {
      const domain = {
        name: "USD Coin",
        version: "2",
        chainId: options.chainId ?? chain.deployment.chainId,
        verifyingContract: chain.deployment.token,
      };
      const signature = await signer.signTypedData(transferWithAuthorizationTypedData(domain, message));
      const payload = {
        x402Version: 2,
        accepted: {
          scheme: "exact",
          network,
          amount: price.toString(),
          asset: chain.deployment.token,
          payTo: receiver.address,
          maxTimeoutSeconds: 120,
          extra: { name: "USD Coin", version: "2" },
          ...options.accepted,
        },
        payload: {
          authorization: {
            from: message.from,
            to: message.to,
            value: message.value.toString(),
            validAfter: message.validAfter.toString(),
            validBefore: message.validBefore.toString(),
            nonce: message.nonce,
          },
          signature,
        },
      };
      return btoa(JSON.stringify(payload));
    }
    async function refused(header: string, reason: string, payer: LocalAccount) {
      const [receiverBefore, payerBefore] = [await balanceOf(receiver.address), await balanceOf(payer.address)];
      const response = await fetch(url, { headers: { [headerNames.paymentSignature]: header } });
      assert.equal(response.status, 402);
      const required = decodePaymentRequiredHeader(response.headers.get("PAYMENT-REQUIRED") ?? "");
      assert.equal(required.error, reason);
      assert.equal(required.accepts.length, 2, "the refusal offers the same terms again");
      assert.notEqual(await response.text(), "the paid report");
      assert.equal(await balanceOf(receiver.address), receiverBefore);
      assert.equal(await balanceOf(payer.address), payerBefore);
    }

    it("a replayed authorization, also two at once: charged once", async () => {
      const payer = await newPayer();
      const seen: Headers[] = [];
      assert.equal((await x402Fetch(payer, seen)(url)).status, 200);
      const used = seen.map((headers) => headers.get("PAYMENT-SIGNATURE")).find((value) => value !== null);
      assert.ok(used);
      await refused(used, "invalid_exact_evm_nonce_already_used", payer);

      const fresh = await signed(payer, await authorization(payer));
      const before = await balanceOf(receiver.address);
      const answers = await Promise.all(
        [fresh, fresh].map((header) => fetch(url, { headers: { [headerNames.paymentSignature]: header } })),
      );
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 402]);
      assert.equal(await balanceOf(receiver.address), before + price);
    });

    it("an underpaying, overpaying or misdirected authorization", async () => {
      const payer = await newPayer();
      await refused(
        await signed(payer, await authorization(payer, { value: price - 1n })),
        "invalid_exact_evm_payload_authorization_value_mismatch",
        payer,
      );
      await refused(
        await signed(payer, await authorization(payer, { value: price + 1n })),
        "invalid_exact_evm_payload_authorization_value_mismatch",
        payer,
      );
      await refused(
        await signed(payer, await authorization(payer), { accepted: { amount: (price - 1n).toString() } }),
        "No matching payment requirements",
        payer,
      );
      await refused(
        await signed(payer, await authorization(payer, { to: payer.address })),
        "invalid_exact_evm_recipient_mismatch",
        payer,
      );
    });

    it("an expired or not yet valid authorization", async () => {
      const payer = await newPayer();
      const now = BigInt(Math.floor(Date.now() / 1000));
      await refused(
        await signed(payer, await authorization(payer, { validBefore: now - 1n })),
        "invalid_exact_evm_payload_authorization_valid_before",
        payer,
      );
      await refused(
        await signed(payer, await authorization(payer, { validAfter: now + 3600n })),
        "invalid_exact_evm_payload_authorization_valid_after",
        payer,
      );
    });

    it("another network, another chain's signature, another signer, a malformed payload", async () => {
      const payer = await newPayer();
      await refused(
        await signed(payer, await authorization(payer), { accepted: { network: "eip155:8453" } }),
        "invalid_exact_evm_network_mismatch",
        payer,
      );
      await refused(
        await signed(payer, await authorization(payer), { chainId: 8453 }),
        "invalid_exact_evm_signature",
        payer,
      );
      await refused(await signed(await newPayer(), await authorization(payer)), "invalid_exact_evm_signature", payer);
      await refused(btoa(JSON.stringify({ x402Version: 2, payload: {} })), "invalid_payload", payer);
      await refused("not base64 at all!", "invalid_payload", payer);
    });

    it("a payer who cannot pay, and a handler that fails: nothing charged, the authorization still good", async () => {
      const broke = privateKeyToAccount(generatePrivateKey());
      await refused(await signed(broke, await authorization(broke)), "insufficient_funds", broke);

      const payer = await newPayer();
      const header = await signed(payer, await authorization(payer));
      const before = await balanceOf(receiver.address);
      handlerFails = true;
      try {
        const failed = await fetch(url, { headers: { [headerNames.paymentSignature]: header } });
        assert.equal(failed.status, 500);
        assert.equal(failed.headers.get("PAYMENT-RESPONSE"), null);
      } finally {
        handlerFails = false;
      }
      assert.equal(await balanceOf(receiver.address), before);
      const paid = await fetch(url, { headers: { [headerNames.paymentSignature]: header } });
      assert.equal(paid.status, 200);
      assert.equal(await balanceOf(receiver.address), before + price);
    });
  });
});
