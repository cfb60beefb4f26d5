// A second origin pays with its own key, which the sender delegated off-chain (RDN-Signer-Delegation): accepted only
// for exactly the channel the sender delegated, stored packed as the contract takes it, and every way to abuse it is
// refused before anything is stored or charged.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  apiPrefix,
  channelPath,
  decodeErrorBody,
  encodeCloseRequestBody,
  headerNames,
  type Payment,
  signerDelegationTypedData,
  unpackDelegatedSignature,
} from "@micro-raiden/web-client/protocol";
import type { Hex, LocalAccount } from "viem";
import {
  articlePrice,
  createTestReceiver,
  domain,
  newAccount,
  type TestChannel,
  type TestReceiver,
} from "./testReceiver.test-helper.ts";

const price = articlePrice;

/** The sender's delegation of `channel` (or of `openBlock`, another channel) to `key`, signed by `by`. */
function delegate(
  t: TestReceiver,
  channel: TestChannel,
  key: LocalAccount,
  options: { by?: LocalAccount; openBlock?: bigint; chainId?: number } = {},
): Promise<Hex> {
  return (options.by ?? channel.sender).signTypedData(
    signerDelegationTypedData(
      { ...domain, chainId: options.chainId ?? domain.chainId },
      {
        sender: channel.sender.address,
        receiver: t.receiver.address,
        openBlock: options.openBlock ?? channel.openBlock,
        signer: key.address,
      },
    ),
  );
}

/** A payment by `key` at `balance`, carrying `delegation`. */
async function delegatedPayment(
  t: TestReceiver,
  channel: TestChannel,
  key: LocalAccount,
  balance: bigint,
  delegation: Hex,
) {
  return { ...(await t.sign(channel, balance, { signer: key })), delegation } satisfies Payment;
}

async function expectBadDelegation(t: TestReceiver, channel: TestChannel, response: Response) {
  assert.equal(response.status, 400);
  assert.equal(decodeErrorBody(await response.json()).error.code, "invalid_signer_delegation");
  assert.equal(t.storedProof(channel), undefined, "nothing stored or charged");
}

describe("payments by a key the sender delegated off-chain", () => {
  it("pays on the delegated channel; the proof is stored and echoed with its delegation", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel({ session: true });
    const key = newAccount();
    const delegation = await delegate(t, channel, key);
    const payment = await delegatedPayment(t, channel, key, price, delegation);
    const paid = await t.pay("/articles/1", payment);
    assert.equal(paid.status, 200);
    const stored = t.storedProof(channel);
    // The echo carries the delegation too: the origin that opened the channel checks the sender signed it.
    assert.equal(paid.headers.get(headerNames.balanceSignature), stored?.signature);
    assert.equal(stored?.balance, price);
    assert.deepEqual(unpackDelegatedSignature(stored?.signature ?? "0x"), {
      proof: payment.signature,
      signer: key.address,
      delegation,
    });
    // The REST API shows the proof as the client signed it (65 bytes).
    const described = await t.app.request(`${apiPrefix}${channelPath(payment)}`, {
      headers: { authorization: `Bearer ${t.operatorToken}` },
    });
    assert.equal(((await described.json()) as { balance_signature?: string }).balance_signature, payment.signature);
    // The first origin's session key pays on after it, with 65-byte proofs as before.
    const session = channel.session;
    assert.ok(session);
    assert.equal((await t.pay("/articles/1", await t.sign(channel, 2n * price, { signer: session }))).status, 200);
    assert.equal(t.storedProof(channel)?.signature.length, 132);
    assert.equal(
      (await t.pay("/articles/1", await delegatedPayment(t, channel, key, 3n * price, delegation))).status,
      200,
    );
  });

  it("a first delegated payment at a stale balance gets the balance the receiver holds, then pays on it", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel({ session: true });
    const session = channel.session;
    assert.ok(session);
    // The first origin paid twice; the second origin knows nothing of it.
    assert.equal((await t.pay("/articles/1", await t.sign(channel, price, { signer: session }))).status, 200);
    assert.equal((await t.pay("/articles/1", await t.sign(channel, 2n * price, { signer: session }))).status, 200);
    const key = newAccount();
    const delegation = await delegate(t, channel, key);
    const stale = await t.pay("/articles/1", await delegatedPayment(t, channel, key, price, delegation));
    assert.equal(stale.status, 402);
    assert.equal(stale.headers.get(headerNames.invalidAmount), "1");
    assert.equal(stale.headers.get(headerNames.senderBalance), String(2n * price));
    assert.equal(t.storedProof(channel)?.balance, 2n * price, "the stale proof changed nothing");
    const next = await t.pay("/articles/1", await delegatedPayment(t, channel, key, 3n * price, delegation));
    assert.equal(next.status, 200);
  });

  it("a delegation of another channel of the same sender is refused", async () => {
    const t = createTestReceiver();
    const sender = newAccount();
    const delegated = t.openChannel({ sender });
    const other = t.openChannel({ sender });
    const key = newAccount();
    const delegation = await delegate(t, delegated, key);
    await expectBadDelegation(
      t,
      other,
      await t.pay("/articles/1", await delegatedPayment(t, other, key, price, delegation)),
    );
    // Signed for another chain: refused alike.
    const otherChain = await delegate(t, other, key, { chainId: domain.chainId + 1 });
    await expectBadDelegation(
      t,
      other,
      await t.pay("/articles/1", await delegatedPayment(t, other, key, price, otherChain)),
    );
  });

  it("a delegation signed by anyone but the sender (the session key, the receiver, a stranger) is refused", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel({ session: true });
    const key = newAccount();
    for (const by of [channel.session, t.account, newAccount()]) {
      assert.ok(by);
      const delegation = await delegate(t, channel, key, { by });
      await expectBadDelegation(
        t,
        channel,
        await t.pay("/articles/1", await delegatedPayment(t, channel, key, price, delegation)),
      );
    }
  });

  it("a proof by a key the delegation does not name is refused, with the delegation or without it", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const key = newAccount();
    const delegation = await delegate(t, channel, key);
    const stranger = newAccount();
    await expectBadDelegation(
      t,
      channel,
      await t.pay("/articles/1", await delegatedPayment(t, channel, stranger, price, delegation)),
    );
    // Once the key has paid (its delegation checked and remembered), the delegation still pays for no other key.
    assert.equal((await t.pay("/articles/1", await delegatedPayment(t, channel, key, price, delegation))).status, 200);
    const other = await t.pay("/articles/1", await delegatedPayment(t, channel, stranger, 2n * price, delegation));
    assert.equal(other.status, 402);
    assert.equal(other.headers.get(headerNames.invalidBalanceProof), "1");
    const undelegated = await t.pay("/articles/1", await t.sign(channel, 2n * price, { signer: key }));
    assert.equal(undelegated.status, 402);
    assert.equal(undelegated.headers.get(headerNames.invalidBalanceProof), "1");
    assert.equal(t.storedProof(channel)?.balance, price);
  });

  it("the receiver cannot be the delegate", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const delegation = await delegate(t, channel, t.account);
    await expectBadDelegation(
      t,
      channel,
      await t.pay("/articles/1", await delegatedPayment(t, channel, t.account, price, delegation)),
    );
  });

  it("a malformed delegation header, or one without a payment, is a 400 that changes nothing", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const key = newAccount();
    const payment = await t.sign(channel, price, { signer: key });
    for (const value of ["0x1234", `0x${"ab".repeat(150)}`, "not hex"]) {
      const response = await t.pay("/articles/1", payment, { [headerNames.signerDelegation]: value });
      assert.equal(response.status, 400, value);
      assert.equal(decodeErrorBody(await response.json()).error.code, "malformed_header");
    }
    const alone = await t.app.request("/articles/1", {
      headers: { [headerNames.signerDelegation]: await delegate(t, channel, key) },
    });
    assert.equal(alone.status, 400);
    assert.equal(t.storedProof(channel), undefined);
  });

  it("the delegated key may ask for the closing signature at its latest balance", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const key = newAccount();
    const delegation = await delegate(t, channel, key);
    const payment = await delegatedPayment(t, channel, key, price, delegation);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    const closed = await t.app.request(`${apiPrefix}${channelPath(payment)}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        encodeCloseRequestBody(await t.closeRequestBody(channel, price, payment.signature, { signer: key })),
      ),
    });
    assert.equal(closed.status, 200);
    // A key never delegated may not.
    const stranger = newAccount();
    const refused = await t.app.request(`${apiPrefix}${channelPath(payment)}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        encodeCloseRequestBody(
          await t.closeRequestBody(channel, price, (await t.sign(channel, price, { signer: stranger })).signature, {
            signer: stranger,
          }),
        ),
      ),
    });
    assert.equal(refused.status, 403);
  });
});
