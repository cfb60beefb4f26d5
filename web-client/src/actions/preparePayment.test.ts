import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PaymentRateExceededError } from "../errors/PaymentRateExceededError.ts";
import { PriceExceedsPolicyError } from "../errors/PriceExceedsPolicyError.ts";
import { verifyBalanceProof } from "../protocol/index.ts";
import { chainId, price, requirements, storeChannel, storedBalance, testClient } from "./fakeReceiver.test-helper.ts";
import { pay } from "./pay.ts";
import { preparePayment, recordPreparedPayment } from "./preparePayment.ts";

describe("preparePayment", () => {
  it("signs the channel's next balance for the price and records nothing", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { balance: 2n * price });

    const payment = await preparePayment(client, { requirements });

    assert.ok(payment);
    assert.equal(payment.balance, 3n * price);
    assert.equal(payment.openBlock, channel.openBlock);
    const valid = await verifyBalanceProof({
      domain: { chainId, contract: channel.contract },
      message: {
        sender: channel.sender,
        receiver: channel.receiver,
        openBlock: channel.openBlock,
        balance: 3n * price,
      },
      signature: payment.signature,
      delegatedSigner: channel.delegatedSigner,
    });
    assert.equal(valid, true);
    assert.equal(await storedBalance(client, channel), 2n * price);
  });

  it("chooses the channel fetchWithStoredChannel would: the newest open one the price fits", async () => {
    const { client } = await testClient();
    await storeChannel(client, { openBlock: 10n });
    await storeChannel(client, { openBlock: 20n, deposit: price, balance: price });
    await storeChannel(client, { openBlock: 30n, state: "closing" });
    assert.equal((await preparePayment(client, { requirements }))?.openBlock, 10n);
    assert.equal(
      await preparePayment(client, { requirements: { ...requirements, receiver: requirements.contract } }),
      undefined,
    );
  });

  it("refuses what a payment would be refused: above the policy, the channel's price or its rate", async () => {
    const policy = { maxPrice: price - 1n };
    await assert.rejects(
      preparePayment((await testClient({ policy })).client, { requirements }),
      PriceExceedsPolicyError,
    );

    const { client } = await testClient();
    await storeChannel(client, { autoPay: { maxPrice: price - 1n, perMinute: 30 } });
    await assert.rejects(preparePayment(client, { requirements }), PriceExceedsPolicyError);

    const limited = await testClient();
    const now = Date.now();
    await storeChannel(limited.client, {
      autoPay: { maxPrice: price, perMinute: 2 },
      autoPaidAt: [now - 1000, now - 10],
    });
    await assert.rejects(preparePayment(limited.client, { requirements }), PaymentRateExceededError);
  });
});

describe("recordPreparedPayment", () => {
  it("records an accepted prepared payment once, counting it among the minute's automatic payments", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { autoPay: { maxPrice: price, perMinute: 30 } });
    const payment = await preparePayment(client, { requirements });
    assert.ok(payment);

    assert.equal(await recordPreparedPayment(client, { chainId, payment, amount: price }), true);
    assert.equal(await recordPreparedPayment(client, { chainId, payment, amount: price }), false);

    const stored = await client.storage.get(channel);
    assert.equal(stored?.balance, price);
    assert.equal(stored?.balanceSignature, payment.signature);
    assert.equal(stored?.autoPaidAt?.length, 1);
  });

  it("leaves a channel that moved on alone: a stale prepared payment is never recorded", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const payment = await preparePayment(client, { requirements });
    assert.ok(payment);
    // Another page paid on the channel meanwhile: the prepared proof is for the balance that payment took.
    await pay(client, { channel, amount: price, send: async () => ({ accepted: true, result: undefined }) });

    assert.equal(await recordPreparedPayment(client, { chainId, payment, amount: price }), false);
    assert.equal(await storedBalance(client, channel), price);
  });

  it("keeps the channel's rate: the prepared payment and the ones before it make the minute's count", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { autoPay: { maxPrice: price, perMinute: 2 } });
    await pay(client, { channel, amount: price, send: async () => ({ accepted: true, result: undefined }) });
    const payment = await preparePayment(client, { requirements });
    assert.ok(payment);
    assert.equal(await recordPreparedPayment(client, { chainId, payment, amount: price }), true);
    await assert.rejects(preparePayment(client, { requirements }), PaymentRateExceededError);
  });
});
