import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  apiPaths,
  apiPrefix,
  channelPath,
  decodeChannelDescription,
  decodeChannelDescriptions,
  decodeCloseResponseBody,
  decodeErrorBody,
  decodeOperatorResults,
  decodeReceiverStats,
  encodeChannelDescription,
  encodeCloseAllRequestBody,
  encodeCloseRequestBody,
  encodeOperatorResults,
  encodeReceiverStats,
  encodeWithdrawRequestBody,
  headerNames,
  verifyClosingSignature,
} from "@micro-raiden/web-client/protocol";
import { type Hex, parseEther } from "viem";
import type { Operator } from "../chain/operator.ts";
import {
  articlePrice,
  chainId,
  channelManager,
  createTestReceiver,
  decodeBalanceOfCall,
  decodeFailure,
  domain,
  newAccount,
  type TestChannel,
  type TestReceiver,
  token,
} from "./testReceiver.test-helper.ts";

const price = articlePrice;
const liquidBalance = parseEther("12.5");

const api = (path: string) => `${apiPrefix}${path}`;
const pathOf = (channel: TestChannel) =>
  api(channelPath({ sender: channel.sender.address, openBlock: channel.openBlock }));

/** The body decoded with the protocol's codec, and checked to be exactly its canonical encoding (no stray fields). */
async function decoded<T>(response: Response, decode: (json: unknown) => T, encode: (value: T) => unknown) {
  const json: unknown = await response.json();
  const value = decode(json);
  assert.deepEqual(json, JSON.parse(JSON.stringify(encode(value))));
  return value;
}
const errorOf = async (response: Response) => decodeErrorBody(await response.json()).error;

/** Pays `channel` up to `n` × price, one article at a time, and returns the last proof's signature. */
async function payUpTo(t: TestReceiver, channel: TestChannel, n: number, signer = channel.sender): Promise<Hex> {
  let signature: Hex | undefined;
  const start = t.core.book.get(channel.sender.address, channel.openBlock)?.balance ?? 0n;
  for (let balance = start + price; balance <= BigInt(n) * price; balance += price) {
    const payment = await t.sign(channel, balance, { signer });
    const response = await t.pay("/articles/1", payment);
    assert.equal(response.status, 200);
    signature = payment.signature;
  }
  assert.ok(signature);
  return signature;
}

describe("REST API: stats and channel listings", () => {
  const t = createTestReceiver({ liquidBalance });
  const s1 = newAccount();
  const s2 = newAccount();
  const auth = { authorization: `Bearer ${t.operatorToken}` };
  let a1: TestChannel;
  let a2: TestChannel;
  let b: TestChannel;
  let c: TestChannel;
  let d: TestChannel;
  let e: TestChannel;
  let a1Signature: Hex;

  before(async () => {
    // Head 100, one confirmation.
    a1 = t.openChannel({ sender: s1, openBlock: 10n, deposit: parseEther("1") });
    a2 = t.openChannel({ sender: s1, openBlock: 11n, deposit: parseEther("2"), session: true });
    b = t.openChannel({ sender: s2, openBlock: 12n, deposit: parseEther("0.3") });
    c = t.openChannel({ sender: s2, openBlock: 13n, deposit: parseEther("1") });
    d = t.openChannel({ sender: s1, openBlock: 14n, deposit: parseEther("1") });
    a1Signature = await payUpTo(t, a1, 3);
    await payUpTo(t, a2, 1, a2.session);
    await payUpTo(t, c, 2);
    await payUpTo(t, d, 1);
    t.topUp(a1, parseEther("0.5"), 20n);
    t.withdrawn(a1, price, 30n);
    t.requestClose(c, 2n * price, 40n); // c is closing
    t.requestClose(d, price, 41n);
    t.settle(d, price, 42n); // d is settled
    // Not confirmed yet at head 100: a new channel and a top-up.
    e = t.openChannel({ sender: s1, openBlock: 101n, deposit: parseEther("5") });
    t.topUp(a2, parseEther("1"), 101n);
  });

  it("GET /stats reports the fabricated state", async () => {
    const response = await t.app.request(api(apiPaths.stats));
    assert.equal(response.status, 200);
    assert.deepEqual(await decoded(response, decodeReceiverStats, encodeReceiverStats), {
      // Confirmed deposits of open channels: a1 (1 + 0.5), a2 (2; its top-up is unconfirmed), b (0.3).
      depositSum: parseEther("3.8"),
      openChannels: 3,
      // µRaiden's meaning: channels whose close is pending (c).
      pendingChannels: 1,
      // Accepted but not yet withdrawn, on channels not settled: a1 3p − p, a2 p, c 2p.
      balanceSum: 5n * price,
      uniqueSenders: 2,
      liquidBalance,
      token,
      contract: channelManager,
      receiver: t.receiver.address,
      chainId,
    });
    // The liquid balance is the token's balanceOf(receiver), read over RPC.
    const calls = t.rpc.calls.filter((call) => call.method === "eth_call");
    assert.equal(calls.length, 1);
    const call = decodeBalanceOfCall(calls[0]?.params);
    assert.equal(call.to.toLowerCase(), token.toLowerCase());
    assert.equal(String(call.owner).toLowerCase(), t.receiver.address.toLowerCase());
  });

  it("GET /stats needs no token", async () => {
    const response = await t.app.request(api(apiPaths.stats), { headers: { authorization: "Bearer wrong" } });
    assert.equal(response.status, 200);
  });

  const operatorOnly = () => [api(apiPaths.channels), api(`${apiPaths.channels}/${s1.address}`)];

  it("GET /channels and /channels/<sender> answer 401 without the operator token", async () => {
    for (const path of operatorOnly()) {
      const response = await t.app.request(path);
      assert.equal(response.status, 401);
      assert.equal((await errorOf(response)).code, "unauthorized");
    }
  });

  it("... and 401 with a wrong token or a malformed Authorization header", async () => {
    const wrong = [
      "Bearer wrong",
      `Bearer ${t.operatorToken}x`,
      `Bearer ${t.operatorToken?.slice(0, -1)}`,
      `Bearer  ${t.operatorToken}`,
      `Basic ${t.operatorToken}`,
      `${t.operatorToken}`,
      "Bearer ",
      "",
    ];
    for (const path of operatorOnly()) {
      for (const authorization of wrong) {
        const response = await t.app.request(path, { headers: { authorization } });
        assert.equal(response.status, 401, `${path} with "${authorization}"`);
      }
    }
  });

  it("GET /channels lists the open channels in full with the token", async () => {
    const response = await t.app.request(api(apiPaths.channels), { headers: auth });
    assert.equal(response.status, 200);
    // Decoded, and exactly its canonical encoding: nothing paid yet travels as `"balance_signature": null`.
    const list = await decoded(response, decodeChannelDescriptions, (l) => l.map(encodeChannelDescription));
    const byBlock = new Map(list.map((ch) => [ch.openBlock, ch]));
    assert.deepEqual([...byBlock.keys()].sort(), [10n, 11n, 12n]);
    assert.deepEqual(byBlock.get(10n), {
      sender: s1.address,
      openBlock: 10n,
      deposit: parseEther("1.5"),
      state: "open",
      details: { balance: 3n * price, withdrawn: price, balanceSignature: a1Signature },
    });
    assert.equal(byBlock.get(11n)?.deposit, parseEther("2"));
    assert.deepEqual(byBlock.get(12n), {
      sender: s2.address,
      openBlock: 12n,
      deposit: parseEther("0.3"),
      state: "open",
      details: { balance: 0n, withdrawn: 0n, balanceSignature: undefined },
    });
  });

  it("GET /channels/<sender> lists the sender's channels that are not settled", async () => {
    const response = await t.app.request(api(`${apiPaths.channels}/${s1.address}`), { headers: auth });
    assert.equal(response.status, 200);
    const list = decodeChannelDescriptions(await response.json());
    assert.deepEqual(
      list.map((ch) => [ch.openBlock.toString(), ch.state]).sort(),
      [
        [a1.openBlock.toString(), "open"],
        [e.openBlock.toString(), "pending"],
        [a2.openBlock.toString(), "open"],
      ].sort(),
    );
    const s2List = decodeChannelDescriptions(
      await (await t.app.request(api(`${apiPaths.channels}/${s2.address.toLowerCase()}`), { headers: auth })).json(),
    );
    assert.deepEqual(
      s2List.map((ch) => [ch.openBlock.toString(), ch.state]).sort(),
      [
        [b.openBlock.toString(), "open"],
        [c.openBlock.toString(), "closing"],
      ].sort(),
    );
    const nobody = await t.app.request(api(`${apiPaths.channels}/${newAccount().address}`), { headers: auth });
    assert.equal(nobody.status, 200);
    assert.deepEqual(await nobody.json(), []);
  });

  it("GET /channels/<sender>/<openBlock> hides the balance and signature without the token", async () => {
    const path = pathOf(a1);
    const publicView = await t.app.request(path);
    assert.equal(publicView.status, 200);
    assert.deepEqual(await decoded(publicView, decodeChannelDescription, encodeChannelDescription), {
      sender: s1.address,
      openBlock: 10n,
      deposit: parseEther("1.5"),
      state: "open",
    });
    const wrongToken = await t.app.request(path, { headers: { authorization: "Bearer nope" } });
    const wrongBody = await decoded(wrongToken, decodeChannelDescription, encodeChannelDescription);
    // No balance, no withdrawn amount, no signature.
    assert.equal(wrongBody.details, undefined);

    const full = await t.app.request(path, { headers: auth });
    assert.equal(full.status, 200);
    assert.deepEqual(await decoded(full, decodeChannelDescription, encodeChannelDescription), {
      sender: s1.address,
      openBlock: 10n,
      deposit: parseEther("1.5"),
      state: "open",
      details: { balance: 3n * price, withdrawn: price, balanceSignature: a1Signature },
    });
  });

  it("GET /channels/<sender>/<openBlock> shows closing, settled and pending channels with their state", async () => {
    for (const [channel, state] of [
      [c, "closing"],
      [d, "settled"],
      [e, "pending"],
    ] as const) {
      const response = await t.app.request(pathOf(channel));
      assert.equal(response.status, 200);
      assert.equal(decodeChannelDescription(await response.json()).state, state);
    }
    const unconfirmed = decodeChannelDescription(await (await t.app.request(pathOf(e))).json());
    assert.equal(unconfirmed.deposit, 0n);
  });

  it("answers 401 for every operator endpoint when the app has no operator token", async () => {
    const open = createTestReceiver({ operatorToken: null });
    const channel = open.openChannel();
    for (const authorization of ["Bearer ", "Bearer undefined", "Bearer null", ""]) {
      for (const [method, path] of [
        ["GET", api(apiPaths.channels)],
        ["GET", api(`${apiPaths.channels}/${channel.sender.address}`)],
        ["POST", api(apiPaths.withdraw)],
        ["POST", api(apiPaths.closeAll)],
      ] as const) {
        const response = await open.app.request(path, { method, headers: { authorization } });
        assert.equal(response.status, 401, `${method} ${path} with "${authorization}"`);
      }
      const detail = decodeChannelDescription(
        await (await open.app.request(pathOf(channel), { headers: { authorization } })).json(),
      );
      assert.equal(detail.details, undefined);
    }
  });
});

describe("REST API: cooperative close (DELETE /channels/<sender>/<openBlock>)", () => {
  const t = createTestReceiver();
  async function requestClose(
    channel: TestChannel,
    balance: bigint,
    signature: Hex,
    request: Parameters<typeof t.closeRequestBody>[3] = {},
  ) {
    return t.app.request(pathOf(channel), {
      method: "DELETE",
      body: JSON.stringify(encodeCloseRequestBody(await t.closeRequestBody(channel, balance, signature, request))),
      headers: { "content-type": "application/json" },
    });
  }

  async function closeSignatureOf(response: Response): Promise<Hex> {
    assert.equal(response.status, 200, await response.clone().text());
    const { closeSignature } = decodeCloseResponseBody(await response.json());
    assert.match(closeSignature, /^0x[0-9a-f]{130}$/);
    return closeSignature;
  }

  const verifies = (channel: TestChannel, balance: bigint, signature: Hex) =>
    verifyClosingSignature({
      domain,
      message: { sender: channel.sender.address, receiver: t.receiver.address, openBlock: channel.openBlock, balance },
      signature,
    });

  it("returns a closing signature for the stored balance that verifies, and the same one when asked again", async () => {
    const channel = t.openChannel();
    const signature = await payUpTo(t, channel, 2);
    const closeSignature = await closeSignatureOf(await requestClose(channel, 2n * price, signature));
    assert.equal(await verifies(channel, 2n * price, closeSignature), true);
    assert.equal(await verifies(channel, price, closeSignature), false);
    assert.equal(await verifies(channel, 3n * price, closeSignature), false);
    const again = await closeSignatureOf(await requestClose(channel, 2n * price, signature));
    assert.equal(again, closeSignature);
    assert.equal(t.storedProof(channel)?.balance, 2n * price);
  });

  it("refuses further payments on a channel once a closing signature was issued", async () => {
    const channel = t.openChannel();
    const signature = await payUpTo(t, channel, 1);
    await closeSignatureOf(await requestClose(channel, price, signature));
    const response = await t.signAndPay("/articles/1", channel, 2n * price);
    assert.equal(response.status, 402);
    const refused = await decodeFailure(response);
    assert.equal(refused.failure?.code, "nonexisting_channel");
    assert.deepEqual(refused.failureHeaders, [headerNames.nonexistingChannel]);
    assert.deepEqual(refused.echo, { sender: channel.sender.address, balance: price, signature });
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("accepts the session key's proof for the closing balance", async () => {
    const channel = t.openChannel({ session: true });
    const signature = await payUpTo(t, channel, 1, channel.session);
    const closeSignature = await closeSignatureOf(await requestClose(channel, price, signature));
    assert.equal(await verifies(channel, price, closeSignature), true);
  });

  it("closes a channel without payments at balance 0", async () => {
    const channel = t.openChannel();
    const proof = await t.sign(channel, 0n);
    const closeSignature = await closeSignatureOf(await requestClose(channel, 0n, proof.signature));
    assert.equal(await verifies(channel, 0n, closeSignature), true);
  });

  it("answers 403 for a proof by anyone but the sender or its session key, and issues nothing", async () => {
    const channel = t.openChannel({ session: true });
    const other = t.openChannel({ session: true });
    const signature = await payUpTo(t, channel, 2);
    const forgeries = [
      (await t.sign(channel, 2n * price, { signer: newAccount() })).signature,
      (await t.sign(channel, 2n * price, { signer: t.account })).signature, // the receiver itself
      (await t.sign(channel, 2n * price, { signer: other.sender })).signature,
      (await t.sign(channel, 2n * price, { signer: other.session })).signature,
      // The sender's own signatures, but not for this channel and balance.
      (await t.sign(channel, 3n * price)).signature,
      (await t.sign(channel, 2n * price, { signed: { openBlock: other.openBlock } })).signature,
      (await t.sign(channel, 2n * price, { signed: { domain: { chainId: 1 } } })).signature,
      (await t.sign(channel, 2n * price, { signed: { domain: { contract: token } } })).signature,
    ];
    for (const forgery of forgeries) {
      const response = await requestClose(channel, 2n * price, forgery);
      assert.equal(response.status, 403);
      const body: unknown = await response.json();
      assert.equal(decodeErrorBody(body).error.code, "unauthorized");
      assert.throws(() => decodeCloseResponseBody(body), /close_signature is missing/);
    }
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.closing, false);
    assert.equal(t.storedProof(channel)?.signature, signature);
    // Nothing was issued: the channel still takes payments.
    assert.equal((await t.signAndPay("/articles/1", channel, 3n * price)).status, 200);
  });

  it("answers 403 when the close request is not the sender's, even with the sender's real balance proof", async () => {
    // A balance proof can become public (it is in the calldata of a withdraw): replaying it must not close anything.
    const channel = t.openChannel({ session: true });
    const signature = await payUpTo(t, channel, 2, channel.session);
    for (const signer of [newAccount(), t.account]) {
      const response = await requestClose(channel, 2n * price, signature, { signer });
      assert.equal(response.status, 403);
      assert.equal((await errorOf(response)).code, "unauthorized");
    }
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.closing, false);
    // The sender's own wallet may ask too, not only the session key.
    await closeSignatureOf(await requestClose(channel, 2n * price, signature, { signer: channel.sender }));
  });

  it("answers 403 for an expired close request, or one valid for longer than an hour", async () => {
    const channel = t.openChannel();
    const signature = await payUpTo(t, channel, 1);
    const now = BigInt(Math.floor(Date.now() / 1000));
    for (const deadline of [now - 1n, now + 7200n]) {
      const response = await requestClose(channel, price, signature, { deadline });
      assert.equal(response.status, 403);
      assert.match((await errorOf(response)).message, /expired or runs too far ahead/);
    }
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.closing, false);
  });

  it("answers 409 for a balance below the stored one", async () => {
    const channel = t.openChannel();
    await payUpTo(t, channel, 3);
    const lower = await t.sign(channel, 2n * price);
    const response = await requestClose(channel, 2n * price, lower.signature);
    assert.equal(response.status, 409);
    assert.equal((await errorOf(response)).code, "conflict");
    assert.equal(t.storedProof(channel)?.balance, 3n * price);
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.closing, false);
    assert.equal((await t.signAndPay("/articles/1", channel, 4n * price)).status, 200);
  });

  it("answers 409 for a balance above the confirmed deposit", async () => {
    const channel = t.openChannel({ deposit: 2n * price });
    const above = await t.sign(channel, 3n * price);
    const response = await requestClose(channel, 3n * price, above.signature);
    assert.equal(response.status, 409);
    assert.equal((await errorOf(response)).code, "conflict");
    assert.equal(t.storedProof(channel), undefined);
  });

  it("stores a higher, properly signed balance and closes at it", async () => {
    const channel = t.openChannel();
    await payUpTo(t, channel, 2);
    const higher = await t.sign(channel, 5n * price);
    const closeSignature = await closeSignatureOf(await requestClose(channel, 5n * price, higher.signature));
    assert.equal(await verifies(channel, 5n * price, closeSignature), true);
    const { committedAt: _, ...stored } = t.storedProof(channel) ?? assert.fail("no stored proof");
    // Stored as a proof that paid for no request: it can never be served as a repeat.
    assert.deepEqual(stored, {
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance: 5n * price,
      signature: higher.signature,
      request: "",
    });
    const detail = decodeChannelDescription(
      await (await t.app.request(pathOf(channel), { headers: { authorization: `Bearer ${t.operatorToken}` } })).json(),
    );
    assert.equal(detail.details?.balance, 5n * price);
    assert.equal(detail.details?.balanceSignature, higher.signature);
    // Asking again at that balance gives the same signature; payments stay refused.
    assert.equal(await closeSignatureOf(await requestClose(channel, 5n * price, higher.signature)), closeSignature);
    const refused = await t.signAndPay("/articles/1", channel, 6n * price);
    assert.equal(refused.status, 402);
    assert.equal((await decodeFailure(refused)).failure?.code, "nonexisting_channel");
  });

  it("answers 404 for an unknown or settled channel", async () => {
    const stranger = { sender: newAccount(), openBlock: 9999n, session: undefined, deposit: 0n };
    const unknown = await requestClose(stranger, 0n, (await t.sign(stranger, 0n)).signature);
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, "not_found");
    const settled = t.openChannel();
    t.requestClose(settled, 0n, t.head());
    t.settle(settled, 0n, t.head());
    const response = await requestClose(settled, 0n, (await t.sign(settled, 0n)).signature);
    assert.equal(response.status, 404);
  });
});

describe("REST API: operator commands", () => {
  const calls: string[] = [];
  const result = {
    sender: newAccount().address,
    openBlock: 12n,
    balance: 7n,
    transactionHash: `0x${"ab".repeat(32)}`,
  } as const;
  const operator: Operator = {
    async withdraw(threshold) {
      calls.push(`withdraw ${threshold}`);
      return [result];
    },
    async closeAll() {
      calls.push("closeAll");
      return [result];
    },
  };
  const t = createTestReceiver({ operator });
  const summary = encodeOperatorResults([result]);

  it("answers 401 for withdraw and close-all without the token or with a wrong one", async () => {
    for (const path of [api(apiPaths.withdraw), api(apiPaths.closeAll)]) {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: "Bearer wrong" },
        { authorization: `Basic ${t.operatorToken}` },
      ];
      for (const headers of attempts) {
        const response = await t.app.request(path, {
          method: "POST",
          headers,
          body: JSON.stringify(encodeCloseAllRequestBody()),
        });
        assert.equal(response.status, 401);
        assert.equal((await errorOf(response)).code, "unauthorized");
      }
    }
    assert.deepEqual(calls, []);
  });

  it("runs them with the token", async () => {
    const headers = { authorization: `Bearer ${t.operatorToken}`, "content-type": "application/json" };
    const withdraw = await t.app.request(api(apiPaths.withdraw), {
      method: "POST",
      headers,
      body: JSON.stringify(encodeWithdrawRequestBody({ threshold: 1000n })),
    });
    assert.equal(withdraw.status, 200);
    assert.deepEqual(await decoded(withdraw, decodeOperatorResults, encodeOperatorResults), [result]);
    assert.deepEqual(JSON.parse(JSON.stringify(summary)), [
      { sender_address: result.sender, open_block: "12", balance: "7", transaction_hash: result.transactionHash },
    ]);
    const closeAll = await t.app.request(api(apiPaths.closeAll), { method: "POST", headers });
    assert.equal(closeAll.status, 200);
    assert.deepEqual(await decoded(closeAll, decodeOperatorResults, encodeOperatorResults), [result]);
    assert.deepEqual(calls, ["withdraw 1000", "closeAll"]);
  });

  it("answers 404 with the token when operator commands are off", async () => {
    const off = createTestReceiver();
    for (const path of [api(apiPaths.withdraw), api(apiPaths.closeAll)]) {
      const response = await off.app.request(path, {
        method: "POST",
        headers: { authorization: `Bearer ${off.operatorToken}` },
      });
      assert.equal(response.status, 404);
    }
  });
});
