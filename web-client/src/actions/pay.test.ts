import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { BudgetExceededError } from "../errors/BudgetExceededError.ts";
import { ChannelNotOpenError } from "../errors/ChannelNotOpenError.ts";
import { InsufficientDepositError } from "../errors/InsufficientDepositError.ts";
import { PaymentRateExceededError } from "../errors/PaymentRateExceededError.ts";
import { PriceExceedsPolicyError } from "../errors/PriceExceedsPolicyError.ts";
import { WrongChainError } from "../errors/WrongChainError.ts";
import { type Payment, verifyBalanceProof } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { addresses, price, storeChannel, storedBalance, testClient } from "./fakeReceiver.test-helper.ts";
import { pay } from "./pay.ts";
import { receiverLockName } from "./receiverLockName.ts";
import { signBalanceProof } from "./signBalanceProof.ts";

/** Longer than `pay` waits before it signs the next proof ahead. */
const signedAheadDelay = () => new Promise((resolve) => setTimeout(resolve, 80));

/** A `send` that records what it was given and answers as told. */
function recordingSend(accepted = true) {
  const calls: { payment: Payment; channel: StoredChannel }[] = [];
  const send = async (payment: Payment, channel: StoredChannel) => {
    calls.push({ payment, channel });
    return { accepted, result: `answer ${calls.length}` };
  };
  return { calls, send };
}

function verifies(channel: StoredChannel, payment: Payment) {
  return verifyBalanceProof({
    domain: { chainId: channel.chainId, contract: channel.contract },
    message: {
      sender: channel.sender,
      receiver: channel.receiver,
      openBlock: channel.openBlock,
      balance: payment.balance,
    },
    signature: payment.signature,
    delegatedSigner: channel.delegatedSigner,
  });
}

describe("pay", () => {
  it("signs the balance plus the amount with the session key and records it once accepted", async () => {
    const { client, chain } = await testClient();
    const channel = await storeChannel(client, { balance: 2n * price });
    const { calls, send } = recordingSend();

    const result = await pay(client, { channel, amount: price, send });

    assert.equal(result, "answer 1");
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.ok(call);
    assert.deepEqual(
      { ...call.payment, signature: undefined },
      {
        contract: channel.contract,
        receiver: channel.receiver,
        sender: channel.sender,
        openBlock: channel.openBlock,
        balance: 3n * price,
        signature: undefined,
      },
    );
    assert.deepEqual(call.channel, channel);
    assert.equal(await verifies(channel, call.payment), true);
    // Signed by the session key, not by the account: without the delegated signer it does not verify.
    assert.equal(await verifies({ ...channel, delegatedSigner: undefined }, call.payment), false);
    const stored = await client.storage.get(channel);
    assert.equal(stored?.balance, 3n * price);
    assert.equal(stored?.balanceSignature, call.payment.signature);
    // Session signing needs no chain at all.
    assert.deepEqual(chain.calls, []);
  });

  it("records nothing when the receiver does not accept", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { balance: price });
    const { calls, send } = recordingSend(false);
    assert.equal(await pay(client, { channel, amount: price, send }), "answer 1");
    assert.equal(calls.length, 1);
    assert.deepEqual(await client.storage.get(channel), channel);
    // The next payment offers the same balance again, not one more price.
    await pay(client, { channel, amount: price, send });
    assert.equal(calls[1]?.payment.balance, 2n * price);
    assert.equal(calls[1]?.payment.signature, calls[0]?.payment.signature);
  });

  it("records nothing when send throws, and releases the lock", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const failure = new Error("network down");
    await assert.rejects(
      pay(client, {
        channel,
        amount: price,
        send: async () => {
          throw failure;
        },
      }),
      (error) => error === failure,
    );
    assert.deepEqual(await client.storage.get(channel), channel);
    const { send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    assert.equal(await storedBalance(client, channel), price);
  });

  it("reads the channel from storage, not from the key it is given", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    await client.storage.put({ ...channel, balance: 7n * price });
    const { calls, send } = recordingSend();
    // A stale copy of the channel (balance 0) only names it.
    await pay(client, { channel, amount: price, send });
    assert.equal(calls[0]?.payment.balance, 8n * price);
    assert.equal(await storedBalance(client, channel), 8n * price);
  });

  it("refuses a closed, closing or unknown channel without calling send", async () => {
    const { client } = await testClient();
    const closed = await storeChannel(client, { state: "closed", openBlock: 1n });
    const closing = await storeChannel(client, { state: "closing", openBlock: 2n, settleBlock: 300n });
    const unknown = { ...closed, openBlock: 3n };
    const { calls, send } = recordingSend();
    for (const [channel, state] of [
      [closed, "closed"],
      [closing, "closing"],
      [unknown, undefined],
    ] as const) {
      await assert.rejects(pay(client, { channel, amount: price, send }), (error: unknown) => {
        assert.ok(error instanceof ChannelNotOpenError);
        assert.equal(error.name, "ChannelNotOpenError");
        assert.equal(error.state, state);
        assert.equal(error.channel.openBlock, channel.openBlock);
        return true;
      });
    }
    assert.equal(calls.length, 0);
    assert.deepEqual(await client.storage.get(closed), closed);
    assert.deepEqual(await client.storage.get(closing), closing);
    assert.equal(await client.storage.get(unknown), undefined);
  });

  it("throws InsufficientDepositError when the remaining deposit does not cover the amount", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { deposit: 5n * price, balance: 4n * price + 1n });
    const { calls, send } = recordingSend();
    await assert.rejects(pay(client, { channel, amount: price, send }), (error: unknown) => {
      assert.ok(error instanceof InsufficientDepositError);
      assert.equal(error.name, "InsufficientDepositError");
      assert.equal(error.price, price);
      assert.deepEqual(error.channel, channel);
      return true;
    });
    assert.equal(calls.length, 0);
    // Exactly the remaining deposit is fine.
    await pay(client, { channel, amount: price - 1n, send });
    assert.equal(await storedBalance(client, channel), 5n * price);
  });

  it("checks the budget against everything paid to the receiver, over all its channels", async () => {
    const budget = 5n * price;
    const { client } = await testClient({ policy: { budgetPerReceiver: budget } });
    const older = await storeChannel(client, { openBlock: 10n, balance: 3n * price, state: "closed" });
    const channel = await storeChannel(client, { openBlock: 20n, balance: price });
    // Payments to another receiver do not count.
    await storeChannel(client, { openBlock: 30n, receiver: addresses.otherReceiver, balance: 50n * price });
    const { calls, send } = recordingSend();

    await pay(client, { channel, amount: price, send });
    assert.equal(await storedBalance(client, channel), 2n * price);

    await assert.rejects(pay(client, { channel, amount: 1n, send }), (error: unknown) => {
      assert.ok(error instanceof BudgetExceededError);
      assert.equal(error.name, "BudgetExceededError");
      assert.equal(error.budget, budget);
      assert.equal(error.spent, 5n * price);
      assert.equal(error.price, 1n);
      assert.equal(error.receiver, channel.receiver);
      return true;
    });
    assert.equal(calls.length, 1);
    assert.equal(await storedBalance(client, channel), 2n * price);
    assert.equal(await storedBalance(client, older), 3n * price);
  });

  it("does not count a refused payment against the budget", async () => {
    const { client } = await testClient({ policy: { budgetPerReceiver: price } });
    const channel = await storeChannel(client);
    await pay(client, { channel, amount: price, send: recordingSend(false).send });
    await pay(client, { channel, amount: price, send: recordingSend(true).send });
    assert.equal(await storedBalance(client, channel), price);
    await assert.rejects(pay(client, { channel, amount: price, send: recordingSend().send }), BudgetExceededError);
  });

  it("holds the receiver's lock from reading the balance to recording the answer", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const balances: bigint[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const send = async (payment: Payment) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      balances.push(payment.balance);
      // Let every other payment run as far as it can before this one is answered.
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { accepted: true, result: payment.balance };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => pay(client, { channel, amount: price, send })));
    assert.equal(maxInFlight, 1);
    assert.deepEqual(balances, [price, 2n * price, 3n * price, 4n * price, 5n * price]);
    assert.deepEqual(results, balances);
    assert.equal(await storedBalance(client, channel), 5n * price);
  });

  it("with waitUntil, answers before the balance is recorded and holds the lock until it is", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    // Puts wait until the test lets them through.
    let letPut = () => {};
    const putGate = new Promise<void>((resolve) => (letPut = resolve));
    const put = client.storage.put;
    client.storage.put = async (stored) => {
      await putGate;
      await put(stored);
    };
    const recordings: Promise<void>[] = [];
    const waitUntil = (recording: Promise<void>) => void recordings.push(recording);
    const { calls, send } = recordingSend();

    assert.equal(await pay(client, { channel, amount: price, send, waitUntil }), "answer 1");
    assert.equal(recordings.length, 1);
    assert.equal(await storedBalance(client, channel), 0n);
    // The next payment waits for the record: it must not sign the same balance again.
    const next = pay(client, { channel, amount: price, send, waitUntil });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls.length, 1);
    letPut();
    await Promise.all(recordings);
    assert.equal(await next, "answer 2");
    assert.deepEqual(
      calls.map((call) => call.payment.balance),
      [price, 2n * price],
    );
    await Promise.all(recordings);
    assert.equal(await storedBalance(client, channel), 2n * price);
  });

  it("with waitUntil, a failed recording reaches waitUntil, not the answer", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    client.storage.put = () => Promise.reject(new Error("disk full"));
    const recordings: Promise<void>[] = [];
    const result = await pay(client, {
      channel,
      amount: price,
      send: recordingSend().send,
      waitUntil: (recording) => void recordings.push(recording),
    });
    assert.equal(result, "answer 1");
    await assert.rejects(recordings[0] ?? Promise.resolve(), /disk full/);
    // Without waitUntil the same failure is the payment's.
    await assert.rejects(pay(client, { channel, amount: price, send: recordingSend().send }), /disk full/);
  });

  it("signs the next proof at the same price ahead, identical to one signed when paying", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const { calls, send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    await signedAheadDelay();
    await pay(client, { channel, amount: price, send });
    const second = calls[1]?.payment;
    assert.ok(second);
    assert.equal(second.balance, 2n * price);
    assert.equal(second.signature, await signBalanceProof(client, { channel, balance: 2n * price }));
    assert.equal(await verifies(channel, second), true);
  });

  it("uses a proof signed ahead only for its balance and session key", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const { calls, send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    await signedAheadDelay();
    // Another price: the proof signed ahead (for 2 × price) does not fit.
    await pay(client, { channel, amount: 2n * price, send });
    await signedAheadDelay();
    assert.equal(calls[1]?.payment.balance, 3n * price);
    assert.equal(await verifies(channel, calls[1]?.payment ?? assert.fail()), true);
    // A new session key for the channel: what was signed ahead with the old one (for 5 × price) is not used.
    const rekeyed = await storeChannel(client, { balance: 3n * price });
    await pay(client, { channel: rekeyed, amount: 2n * price, send });
    const third = calls[2]?.payment;
    assert.ok(third);
    assert.equal(third.balance, 5n * price);
    assert.equal(await verifies(rekeyed, third), true);
    assert.equal(await verifies(channel, third), false);
  });

  it("signs nothing ahead with the wallet: one prompt per payment", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    let prompts = 0;
    const account = {
      ...wallet,
      signTypedData: ((parameters) => {
        prompts++;
        return wallet.signTypedData(parameters);
      }) as typeof wallet.signTypedData,
    };
    const { client } = await testClient({ signing: "wallet", account });
    const channel = await storeChannel(client);
    const { send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    await signedAheadDelay();
    assert.equal(prompts, 1);
    await pay(client, { channel, amount: price, send });
    await signedAheadDelay();
    assert.equal(prompts, 2);
  });

  it("uses one lock per sender and receiver, whatever the channel", async () => {
    const { client } = await testClient();
    const first = await storeChannel(client, { openBlock: 1n });
    const second = await storeChannel(client, { openBlock: 2n });
    const other = await storeChannel(client, { openBlock: 3n, receiver: addresses.otherReceiver });
    assert.equal(receiverLockName(first), receiverLockName(second));
    assert.notEqual(receiverLockName(first), receiverLockName(other));
    // While the receiver's lock is held elsewhere, a payment on either of its channels waits for it.
    let release = () => {};
    const held = client.lock(receiverLockName(first), () => new Promise<void>((resolve) => (release = resolve)));
    const { calls, send } = recordingSend();
    const waiting = pay(client, { channel: second, amount: price, send });
    await pay(client, { channel: other, amount: price, send });
    assert.equal(calls.length, 1);
    release();
    await Promise.all([held, waiting]);
    assert.equal(calls.length, 2);
    assert.equal(await storedBalance(client, second), price);
  });

  it("signs with the wallet account when the client signs with the wallet", async () => {
    const { client, account, chain } = await testClient({ signing: "wallet" });
    const channel = await storeChannel(client);
    const { calls, send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    const payment = calls[0]?.payment;
    assert.ok(payment);
    // Signed by the sender itself: valid with no delegated signer at all.
    assert.equal(await verifies({ ...channel, delegatedSigner: undefined }, payment), true);
    assert.equal(
      await verifies(
        { ...channel, delegatedSigner: undefined, sender: privateKeyToAccount(generatePrivateKey()).address },
        payment,
      ),
      false,
    );
    assert.equal(channel.sender, account.address);
    // The wallet's chain was checked before signing.
    assert.ok(chain.calls.includes("eth_chainId"));
  });

  it("refuses to sign with the wallet on another chain, calling send never", async () => {
    const { client } = await testClient({ signing: "wallet" });
    const channel = await storeChannel(client, { chainId: 1 });
    const { calls, send } = recordingSend();
    await assert.rejects(pay(client, { channel, amount: price, send }), (error: unknown) => {
      assert.ok(error instanceof WrongChainError);
      assert.equal(error.expected, 1);
      assert.equal(error.actual, 31337);
      return true;
    });
    assert.equal(calls.length, 0);
    assert.deepEqual(await client.storage.get(channel), channel);
  });
});

describe("pay: what a channel pays without asking (autoPay)", () => {
  it("never signs a payment above the channel's automatic price, unless the reader approved that price", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { autoPay: { maxPrice: price, perMinute: 30 } });
    const { calls, send } = recordingSend();

    await assert.rejects(pay(client, { channel, amount: 10n * price, send }), PriceExceedsPolicyError);
    // An approval is for one price: another one is still refused.
    await assert.rejects(
      pay(client, { channel, amount: 10n * price, send, approvedPrice: 2n * price }),
      PriceExceedsPolicyError,
    );
    assert.equal(calls.length, 0, "nothing signed, nothing sent");
    assert.equal((await client.storage.get(channel))?.balance, 0n);

    await pay(client, { channel, amount: 10n * price, send, approvedPrice: 10n * price });
    await pay(client, { channel, amount: price, send });
    assert.deepEqual(
      calls.map((call) => call.payment.balance),
      [10n * price, 11n * price],
    );
  });

  it("stops a loop of automatic payments at the channel's rate, and lets approved ones through", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client, { autoPay: { maxPrice: price, perMinute: 3 } });
    const { calls, send } = recordingSend();
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      outcomes.push(
        await pay(client, { channel, amount: price, send }).then(
          () => "paid",
          (error: unknown) => (error instanceof PaymentRateExceededError ? "limited" : String(error)),
        ),
      );
    }
    assert.deepEqual(outcomes, ["paid", "paid", "paid", ...Array(7).fill("limited")]);
    assert.equal(calls.length, 3);
    assert.equal((await client.storage.get(channel))?.balance, 3n * price);
    // The reader approves the next page's price: paid although the minute is not over.
    await pay(client, { channel, amount: price, send, approvedPrice: price });
    assert.equal((await client.storage.get(channel))?.balance, 4n * price);
  });

  it("counts the payments of the last minute only: older ones free their places", async () => {
    const { client } = await testClient();
    const minuteAgo = Date.now() - 61_000;
    const channel = await storeChannel(client, {
      autoPay: { maxPrice: price, perMinute: 2 },
      autoPaidAt: [minuteAgo, minuteAgo + 1, Date.now() - 1_000],
    });
    const { send } = recordingSend();
    await pay(client, { channel, amount: price, send });
    await assert.rejects(pay(client, { channel, amount: price, send }), PaymentRateExceededError);
    assert.equal((await client.storage.get(channel))?.autoPaidAt?.length, 2, "the old ones are dropped");
  });

  it("pays nothing automatically on a channel opened before channels carried a limit, until the reader approves a price, which becomes its limit", async () => {
    // A browser's policy: a rate, no declared price. The channel has a session key and no autoPay of its own.
    const { client } = await testClient({ policy: { maxPaymentsPerMinute: 2 } });
    const channel = await storeChannel(client);
    const { calls, send } = recordingSend();

    await assert.rejects(pay(client, { channel, amount: price, send }), PriceExceedsPolicyError);
    assert.equal(calls.length, 0, "nothing signed before the reader decides");

    await pay(client, { channel, amount: price, send, approvedPrice: price });
    assert.deepEqual((await client.storage.get(channel))?.autoPay, { maxPrice: price, perMinute: 2 });
    // From then on it pays that price without asking, within the rate, and nothing dearer.
    await pay(client, { channel, amount: price, send });
    await assert.rejects(pay(client, { channel, amount: price, send }), PaymentRateExceededError);
    await assert.rejects(pay(client, { channel, amount: 2n * price, send }), PriceExceedsPolicyError);
    assert.deepEqual(
      calls.map((call) => call.payment.balance),
      [price, 2n * price],
    );
  });

  it("gives a channel opened before channels carried a limit the site's declared price, at the policy's rate", async () => {
    const { client } = await testClient({ policy: { maxPaymentsPerMinute: 30, maxPrice: 3n * price } });
    const channel = await storeChannel(client);
    const { send } = recordingSend();
    await pay(client, { channel, amount: 3n * price, send });
    await assert.rejects(pay(client, { channel, amount: 4n * price, send }), PriceExceedsPolicyError);
    // Approving one dearer page does not raise what the channel pays automatically.
    await pay(client, { channel, amount: 4n * price, send, approvedPrice: 4n * price });
    assert.deepEqual((await client.storage.get(channel))?.autoPay, { maxPrice: 3n * price, perMinute: 30 });
  });

  it("leaves a machine client's channel without a limit (no rate in its policy)", async () => {
    const { client } = await testClient();
    const channel = await storeChannel(client);
    const { send } = recordingSend();
    for (let i = 0; i < 5; i++) await pay(client, { channel, amount: 10n * price, send });
    assert.equal((await client.storage.get(channel))?.balance, 50n * price);
  });

  it("puts no automatic limit on wallet signing: the reader confirms every payment", async () => {
    const { client } = await testClient({ signing: "wallet" });
    const channel = await storeChannel(client, { autoPay: { maxPrice: price, perMinute: 1 } });
    const { send } = recordingSend();
    await pay(client, { channel, amount: 5n * price, send });
    await pay(client, { channel, amount: 5n * price, send });
    assert.equal((await client.storage.get(channel))?.balance, 10n * price);
  });
});
