import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  apiPaths,
  apiPrefix,
  channelPath,
  decodeErrorBody,
  encodeCloseRequestBody,
  encodeWithdrawRequestBody,
  headerNames,
  type Payment,
} from "@micro-raiden/web-client/protocol";
import { type Hex, maxUint256, toHex } from "viem";
import type { Operator } from "../chain/operator.ts";
import {
  articlePrice,
  createTestReceiver,
  newAccount,
  pricePerCharacter,
  type TestChannel,
} from "./testReceiver.test-helper.ts";

const price = articlePrice;
/** The secp256k1 group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** A checksummed address with the case of its first letter flipped: a bad EIP-55 checksum. */
function badChecksum(address: string): string {
  const i = [...address].findIndex((ch, index) => index > 1 && /[a-fA-F]/.test(ch));
  const ch = address[i] ?? "";
  const flipped = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
  return address.slice(0, i) + flipped + address.slice(i + 1);
}

/** The malleated twin of a valid signature: s' = n − s, v flipped. Recovers to the same signer, but has a high s. */
function highS(signature: Hex): string {
  const r = signature.slice(2, 66);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return `0x${r}${toHex(N - s, { size: 32 }).slice(2)}${(v === 27 ? 28 : 27).toString(16)}`;
}

function withV(signature: Hex, v: number): string {
  return `${signature.slice(0, 130)}${v.toString(16).padStart(2, "0")}`;
}

describe("paywall: malformed payment headers", () => {
  const t = createTestReceiver();
  let channel: TestChannel;
  let valid: Payment;
  let validHeaders: Record<string, string>;

  before(async () => {
    channel = t.openChannel();
    // One accepted payment first, so "nothing changes" is checked against a non-empty store.
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    valid = await t.sign(channel, 2n * price);
    validHeaders = t.paymentHeaders(valid);
  });

  /** Sends `headers`, expects a 400 malformed_header naming `header`, and checks nothing changed. */
  async function expectMalformed(
    headers: Headers | Record<string, string>,
    header: string,
    path = "/articles/1",
    expectedPrice = price,
  ) {
    const before = t.storedProofs();
    const response = await t.app.request(path, { headers });
    assert.equal(response.status, 400, `${header}: expected 400, got ${response.status}`);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    const body = decodeErrorBody(await response.json());
    assert.equal(body.error.code, "malformed_header");
    assert.ok(body.error.message.includes(header), `"${body.error.message}" names ${header}`);
    assert.equal(response.headers.get(headerNames.price), expectedPrice.toString(), "the requirements come along");
    assert.deepEqual(t.storedProofs(), before);
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.balance, price);
  }

  const withHeader = (name: string, value: string) => ({ ...validHeaders, [name]: value });

  it("refuses a partial payment (each header missing in turn, or only one present)", async () => {
    for (const name of Object.keys(validHeaders)) {
      const headers = { ...validHeaders };
      delete headers[name];
      await expectMalformed(headers, name);
      // An empty value is as good as missing.
      await expectMalformed(withHeader(name, ""), name);
    }
    await expectMalformed({ [headerNames.balance]: (2n * price).toString() }, headerNames.contractAddress);
  });

  it("refuses every header given twice (joined as 'a, b', or appended twice)", async () => {
    for (const [name, value] of Object.entries(validHeaders)) {
      await expectMalformed(withHeader(name, `${value}, ${value}`), name);
      await expectMalformed(withHeader(name, `${value},${value}`), name);
      const headers = new Headers(validHeaders);
      headers.append(name, value);
      await expectMalformed(headers, name);
    }
  });

  it("refuses oversized values", async () => {
    for (const [name, value] of Object.entries(validHeaders)) {
      await expectMalformed(withHeader(name, value + "0".repeat(200)), name);
    }
    await expectMalformed(withHeader(headerNames.balance, "1".repeat(4000)), headerNames.balance);
  });

  it("refuses malformed signatures: non-hex, wrong length, no 0x, high s, v not 27/28", async () => {
    const name = headerNames.balanceSignature;
    const sig = valid.signature;
    const cases = [
      `0x${"zz".repeat(65)}`,
      `0x${"g".repeat(130)}`,
      sig.slice(0, 130), // 64.5 bytes
      sig.slice(0, 128), // 63 bytes
      `${sig}00`, // 66 bytes
      sig.slice(2), // no 0x
      `0X${sig.slice(2)}`,
      "0x",
      highS(sig),
      withV(sig, 0),
      withV(sig, 1),
      withV(sig, 26),
      withV(sig, 29),
      withV(sig, 255),
    ];
    for (const value of cases) await expectMalformed(withHeader(name, value), name);
  });

  it("refuses non-canonical numbers: negative, '+5', '1e3', leading zeros, hex, fractions, > 2^256 − 1", async () => {
    const bad = ["-5", "+5", "1e3", "007", "0x10", "5.0", "5 5", "one", `${maxUint256 + 1n}`, `${2n ** 300n}`];
    for (const value of bad) {
      await expectMalformed(withHeader(headerNames.balance, value), headerNames.balance);
      await expectMalformed(withHeader(headerNames.openBlock, value), headerNames.openBlock);
    }
  });

  it("refuses an openBlock above 2^64 − 1", async () => {
    for (const value of [`${2n ** 64n}`, `${2n ** 64n + 1000n}`, `${maxUint256}`]) {
      await expectMalformed(withHeader(headerNames.openBlock, value), headerNames.openBlock);
    }
  });

  it("refuses bad addresses: wrong EIP-55 checksum, short, long, non-hex, without 0x", async () => {
    for (const name of [headerNames.contractAddress, headerNames.receiverAddress, headerNames.senderAddress]) {
      const value = validHeaders[name] ?? "";
      for (const bad of [
        badChecksum(value),
        value.slice(0, 41),
        `${value}ab`,
        `0x${"zz".repeat(20)}`,
        value.slice(2),
        `0x${value.slice(2).toUpperCase().replace(/^./, "G")}`,
      ]) {
        await expectMalformed(withHeader(name, bad), name);
      }
    }
  });

  it("refuses non-ASCII (Latin-1) header values", async () => {
    await expectMalformed(withHeader(headerNames.balance, "5\u00e9"), headerNames.balance);
    await expectMalformed(withHeader(headerNames.senderAddress, "0x\u00ff"), headerNames.senderAddress);
  });

  it("answers 400 on the dynamic-price route and for browsers as well", async () => {
    await expectMalformed(
      withHeader(headerNames.balance, "-1"),
      headerNames.balance,
      "/echodyn/hello",
      5n * pricePerCharacter,
    );
    const headers = { ...withHeader(headerNames.openBlock, "x"), accept: "text/html" };
    const before = t.storedProofs();
    const response = await t.app.request("/articles/1", { headers });
    assert.equal(response.status, 400);
    assert.equal(decodeErrorBody(await response.json()).error.code, "malformed_header");
    assert.deepEqual(t.storedProofs(), before);
  });

  it("accepts all-lowercase addresses (and answers with checksummed ones)", async () => {
    const lower = await t.sign(channel, 2n * price);
    const response = await t.app.request("/articles/1", {
      headers: {
        ...t.paymentHeaders(lower),
        [headerNames.senderAddress]: lower.sender.toLowerCase(),
        [headerNames.receiverAddress]: lower.receiver.toLowerCase(),
        [headerNames.contractAddress]: lower.contract.toLowerCase(),
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get(headerNames.senderAddress), channel.sender.address);
    assert.equal(t.storedProof(channel)?.balance, 2n * price);
  });

  it("still accepts the next valid payment after all of the above", async () => {
    const response = await t.signAndPay("/articles/1", channel, 3n * price);
    assert.equal(response.status, 200);
    assert.equal(t.storedProof(channel)?.balance, 3n * price);
  });
});

describe("REST API: bad input", () => {
  const operatorCalls: string[] = [];
  const operator: Operator = {
    async withdraw(threshold) {
      operatorCalls.push(`withdraw ${threshold}`);
      return [];
    },
    async closeAll() {
      operatorCalls.push("closeAll");
      return [];
    },
  };
  const t = createTestReceiver({ operator });
  const auth = { authorization: `Bearer ${t.operatorToken}` };
  let channel: TestChannel;
  let signature: Hex;

  before(async () => {
    channel = t.openChannel();
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    signature = (await t.sign(channel, price)).signature;
  });

  async function expect4xx(response: Response, status: number, code?: string) {
    assert.equal(
      response.status,
      status,
      `expected ${status}, got ${response.status}: ${await response.clone().text()}`,
    );
    if (!code) return;
    const text = await response.text();
    assert.match(response.headers.get("content-type") ?? "", /application\/json/, `a JSON error body, got ${text}`);
    assert.equal(decodeErrorBody(JSON.parse(text)).error.code, code);
  }

  const path = () => `${apiPrefix}${channelPath({ sender: channel.sender.address, openBlock: channel.openBlock })}`;
  const del = (url: string, body: string, headers: Record<string, string> = {}) =>
    t.app.request(url, { method: "DELETE", body, headers: { "content-type": "application/json", ...headers } });

  it("refuses a bad sender address in the path with 400 (after the operator check)", async () => {
    for (const bad of ["0x1234", "not-an-address", badChecksum(channel.sender.address), `0x${"zz".repeat(20)}`]) {
      await expect4xx(
        await t.app.request(`${apiPrefix}${apiPaths.channels}/${bad}`, { headers: auth }),
        400,
        "malformed_body",
      );
      await expect4xx(await t.app.request(`${apiPrefix}${apiPaths.channels}/${bad}`), 401, "unauthorized");
      await expect4xx(
        await t.app.request(`${apiPrefix}${apiPaths.channels}/${bad}/${channel.openBlock}`),
        400,
        "malformed_body",
      );
      await expect4xx(
        await del(`${apiPrefix}${apiPaths.channels}/${bad}/${channel.openBlock}`, "{}"),
        400,
        "malformed_body",
      );
    }
  });

  /** A well-formed DELETE body for `channel` at `price`, with `overrides` replacing fields. */
  async function closeBody(overrides: Record<string, unknown> = {}) {
    return JSON.stringify({
      ...encodeCloseRequestBody(await t.closeRequestBody(channel, price, signature)),
      ...overrides,
    });
  }

  it("refuses a non-numeric or out-of-range openBlock with 400", async () => {
    for (const bad of ["abc", "-1", "1e3", "007", "0x10", `${2n ** 64n}`, "1.5"]) {
      const url = `${apiPrefix}${apiPaths.channels}/${channel.sender.address}/${bad}`;
      await expect4xx(await t.app.request(url, { headers: auth }), 400, "malformed_body");
      await expect4xx(await del(url, await closeBody()), 400, "malformed_body");
    }
  });

  it("answers 404 for an unknown channel", async () => {
    const url = `${apiPrefix}${apiPaths.channels}/${newAccount().address}/5`;
    await expect4xx(await t.app.request(url, { headers: auth }), 404, "not_found");
    await expect4xx(await del(url, await closeBody()), 404, "not_found");
  });

  it("refuses a malformed or incomplete JSON body with 400 malformed_body", async () => {
    const bodies = [
      "",
      "{",
      "not json",
      "null",
      "[]",
      '"a string"',
      "42",
      "{}",
      await closeBody({ balance: undefined }),
      await closeBody({ balance_signature: undefined }),
      await closeBody({ deadline: undefined }),
      await closeBody({ close_request_signature: undefined }),
      await closeBody({ balance: Number(price) }),
      await closeBody({ balance_signature: 7 }),
      await closeBody({ balance: null }),
      await closeBody({ balance: "-1" }),
      await closeBody({ balance: "+1" }),
      await closeBody({ balance: "1e3" }),
      await closeBody({ balance: "0010" }),
      await closeBody({ balance: `${maxUint256 + 1n}` }),
      await closeBody({ balance_signature: "0x1234" }),
      await closeBody({ balance_signature: highS(signature) }),
      await closeBody({ balance_signature: withV(signature, 0) }),
      await closeBody({ balance_signature: `${signature}, ${signature}` }),
      await closeBody({ deadline: "-1" }),
      await closeBody({ deadline: `${2n ** 64n}` }),
      await closeBody({ deadline: 1e12 }),
      await closeBody({ close_request_signature: highS(signature) }),
      await closeBody({ close_request_signature: "0xzz" }),
    ];
    for (const body of bodies) {
      const response = await del(path(), body);
      assert.equal(response.status, 400, `body ${body}: got ${response.status}`);
      assert.equal(decodeErrorBody(await response.json()).error.code, "malformed_body", `body ${body}`);
    }
    // Without a content type the body is still not what the endpoint expects.
    await expect4xx(await t.app.request(path(), { method: "DELETE" }), 400, "malformed_body");
  });

  it("refuses a body over 1 KiB with 413", async () => {
    const big = await closeBody({ pad: "x".repeat(2000) });
    await expect4xx(await del(path(), big), 413);
    await expect4xx(await del(path(), big, { "content-length": String(big.length) }), 413);
    const withdraw = await t.app.request(`${apiPrefix}${apiPaths.withdraw}`, {
      method: "POST",
      body: JSON.stringify({ threshold: "1", pad: "x".repeat(2000) }),
      headers: { ...auth, "content-type": "application/json" },
    });
    await expect4xx(withdraw, 413);
  });

  it("refuses a bad withdraw threshold or body with 400 and never calls the operator for it", async () => {
    for (const threshold of ["abc", "-1", 1e21, "1e3", 1.5, 5, null, true, ["5"]]) {
      const response = await t.app.request(`${apiPrefix}${apiPaths.withdraw}`, {
        method: "POST",
        body: JSON.stringify({ threshold }),
        headers: { ...auth, "content-type": "application/json" },
      });
      await expect4xx(response, 400, "malformed_body");
    }
    // A body that is not a JSON object: before, `garbage` ran a withdraw with threshold 1.
    for (const body of ["garbage", "[]", '"5"', "5", "null", "{"]) {
      const response = await t.app.request(`${apiPrefix}${apiPaths.withdraw}`, {
        method: "POST",
        body,
        headers: { ...auth, "content-type": "application/json" },
      });
      await expect4xx(response, 400, "malformed_body");
    }
    assert.deepEqual(operatorCalls, []);
    // A good one (and a missing one, or an empty body, meaning 1) reaches the operator.
    for (const body of [
      JSON.stringify(encodeWithdrawRequestBody({ threshold: 5n })),
      JSON.stringify(encodeWithdrawRequestBody({})),
      "",
    ]) {
      const response = await t.app.request(`${apiPrefix}${apiPaths.withdraw}`, {
        method: "POST",
        body,
        headers: { ...auth, "content-type": "application/json" },
      });
      assert.equal(response.status, 200);
    }
    assert.deepEqual(operatorCalls, ["withdraw 5", "withdraw 1", "withdraw 1"]);
  });

  // Fails today: receiverApi sets a JSON notFound handler, but Hono only calls the top-level app's notFound, so
  // createApp answers unknown API endpoints with text/plain "404 Not Found" (README: every 4xx has the JSON body).
  it("answers 404 JSON for unknown endpoints and methods", async () => {
    await expect4xx(await t.app.request(`${apiPrefix}/nope`), 404, "not_found");
    await expect4xx(await t.app.request(`${apiPrefix}${apiPaths.stats}`, { method: "POST" }), 404, "not_found");
    await expect4xx(await t.app.request(`${apiPrefix}${apiPaths.channels}/a/b/c`, { headers: auth }), 404, "not_found");
  });

  it("changed nothing: the stored proof is intact, no closing signature was issued, payments go on", async () => {
    assert.deepEqual(
      t.storedProofs().map(({ committedAt: _, ...proof }) => proof),
      [
        {
          sender: channel.sender.address,
          openBlock: channel.openBlock,
          balance: price,
          signature,
          request: "GET /articles/1",
        },
      ],
    );
    assert.equal(t.core.book.get(channel.sender.address, channel.openBlock)?.closing, false);
    assert.equal((await t.signAndPay("/articles/1", channel, 2n * price)).status, 200);
  });
});
