// Paying from stored channels with a client that has no chain at all (createPaymentClient, what the payment Service
// Worker uses): the same payment as fetchWithPayment, and a typed refusal wherever fetchWithPayment would go to the
// chain.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { setupServer } from "msw/node";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createPaymentClient } from "../client/createPaymentClient.ts";
import { ChannelRequiredError } from "../errors/ChannelRequiredError.ts";
import { PaymentRefusedError } from "../errors/PaymentRefusedError.ts";
import { WrongChainError } from "../errors/WrongChainError.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { chainId, fakeReceiver, origin, price, storeChannel, storedBalance } from "./fakeReceiver.test-helper.ts";
import { fetchWithStoredChannel } from "./fetchWithStoredChannel.ts";

const server = setupServer();
before(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const url = `${origin}/articles/1`;

function paymentClient(options: { signing?: "session" | "wallet"; chainId?: number } = {}) {
  const account = privateKeyToAccount(generatePrivateKey());
  return createPaymentClient({
    account,
    chainId: options.chainId ?? chainId,
    storage: memoryStorage(),
    lock: memoryLock(),
    signing: options.signing,
  });
}

describe("fetchWithStoredChannel with a payment client (no chain)", () => {
  it("pays a 402 from the stored channel with its session key and records the accepted balance", async () => {
    const client = paymentClient();
    const channel = await storeChannel(client);
    const receiver = fakeReceiver();
    receiver.addChannel(channel);
    server.use(receiver.handler);

    const first = await fetchWithStoredChannel(client, { input: url });
    assert.equal(first.status, 200);
    const second = await fetchWithStoredChannel(client, { input: url });
    assert.equal(second.status, 200);
    assert.equal(await storedBalance(client, channel), 2n * price);
    assert.equal(receiver.channel(channel.sender, channel.openBlock)?.balance, 2n * price);
  });

  it("chooses the channel under the lock: parallel payments that drain one channel go on to the next", async () => {
    const client = paymentClient();
    // The newest channel has room for one payment; an older one for many.
    const newest = await storeChannel(client, { openBlock: 90n, deposit: price });
    const older = await storeChannel(client, { openBlock: 80n });
    const receiver = fakeReceiver();
    receiver.addChannel(newest);
    receiver.addChannel(older);
    server.use(receiver.handler);

    const answers = await Promise.all([1, 2].map(() => fetchWithStoredChannel(client, { input: url })));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200],
      "the second payment did not fail on the channel the first one drained",
    );
    assert.equal(await storedBalance(client, newest), price);
    assert.equal(await storedBalance(client, older), price);
  });

  it("signs with the account in wallet mode, and refuses a channel on another chain", async () => {
    const client = paymentClient({ signing: "wallet" });
    const channel = await storeChannel(client, { sessionKey: undefined });
    const receiver = fakeReceiver();
    receiver.addChannel(channel);
    server.use(receiver.handler);
    assert.equal((await fetchWithStoredChannel(client, { input: url })).status, 200);
    assert.equal(await storedBalance(client, channel), price);

    const elsewhere = paymentClient({ signing: "wallet", chainId: chainId + 1 });
    const other = await storeChannel(elsewhere, { sessionKey: undefined });
    receiver.addChannel(other);
    await assert.rejects(fetchWithStoredChannel(elsewhere, { input: url }), WrongChainError);
    assert.equal(await storedBalance(elsewhere, other), 0n);
  });

  it("refuses, recording nothing, where fetchWithPayment would go to the chain", async () => {
    const client = paymentClient();
    server.use(fakeReceiver().handler);
    await assert.rejects(fetchWithStoredChannel(client, { input: url }), ChannelRequiredError, "no channel: no open");

    const channel = await storeChannel(client);
    const unconfirmed = fakeReceiver({ unconfirmed: () => 2n });
    unconfirmed.addChannel(channel);
    server.use(unconfirmed.handler);
    await assert.rejects(
      fetchWithStoredChannel(client, { input: url }),
      (error) => error instanceof PaymentRefusedError && error.failure?.code === "insufficient_confirmations",
      "not confirmed yet: no waiting for blocks",
    );

    server.use(fakeReceiver().handler); // A receiver that does not know the channel.
    await assert.rejects(
      fetchWithStoredChannel(client, { input: url }),
      (error) => error instanceof PaymentRefusedError && error.failure?.code === "nonexisting_channel",
      "unknown channel: no re-reading it from the chain",
    );
    assert.equal(await storedBalance(client, channel), 0n);
  });
});
