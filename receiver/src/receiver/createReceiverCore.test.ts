// The operator's close-all stops a channel's payments before its transaction: that mark must survive a restart
// (a proof taken after it could never be redeemed), and must be taken back when the close fails — unless the sender
// got a closing signature meanwhile, which it can still close with.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { apiPrefix, channelPath, encodeCloseRequestBody, headerNames } from "@micro-raiden/web-client/protocol";
import type { LocalAccount } from "viem";
import {
  createTestReceiver,
  type TestChannel,
  type TestReceiver,
  tempDirectory,
} from "../http/testReceiver.test-helper.ts";
import { sqliteStore } from "../store/sqliteStore.ts";

const price = 10n ** 15n;

describe("the operator's closing mark", () => {
  it("is durable: after a restart the channel still refuses payments", async () => {
    const dir = tempDirectory();
    after(dir.cleanup);
    const path = join(dir.path, "receiver.db");
    const first = createTestReceiver({ store: sqliteStore(path) });
    const channel = first.openChannel();
    assert.equal((await first.signAndPay("/articles/1", channel, price)).status, 200);
    const closing = await first.core.beginClose(channel.sender.address, channel.openBlock);
    assert.equal(closing?.balance, price);
    assert.equal(closing?.marked, true);
    assert.equal((await first.signAndPay("/articles/1", channel, 2n * price)).status, 402);
    first.store.close();

    // The process died before the close transaction was mined.
    const restarted = createTestReceiver({ store: sqliteStore(path), account: first.account });
    after(() => restarted.store.close());
    const refused = await restarted.signAndPay("/articles/1", channel, 2n * price);
    assert.equal(refused.status, 402);
    assert.equal(restarted.storedProof(channel)?.balance, price);
  });

  it("is taken back durably when the close failed: payments go on, also after a restart", async () => {
    const dir = tempDirectory();
    after(dir.cleanup);
    const path = join(dir.path, "receiver.db");
    const first = createTestReceiver({ store: sqliteStore(path) });
    const channel = first.openChannel();
    assert.equal((await first.signAndPay("/articles/1", channel, price)).status, 200);
    await first.core.beginClose(channel.sender.address, channel.openBlock);
    await first.core.abortClose(channel.sender.address, channel.openBlock);
    assert.equal((await first.signAndPay("/articles/1", channel, 2n * price)).status, 200);
    first.store.close();

    const restarted = createTestReceiver({ store: sqliteStore(path), account: first.account });
    after(() => restarted.store.close());
    assert.equal((await restarted.signAndPay("/articles/1", channel, 3n * price)).status, 200);
  });

  it("leaves a channel whose closing signature the sender got marked when the operator's close fails", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    await t.core.beginClose(channel.sender.address, channel.openBlock);
    const again = await t.core.beginClose(channel.sender.address, channel.openBlock);
    assert.equal(again?.marked, false, "already closing: the operator must not take this mark back");
  });

  it("is kept when the sender got a closing signature while the operator's close was pending", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    const closing = await t.core.beginClose(channel.sender.address, channel.openBlock);
    assert.equal(closing?.marked, true);
    // The reader closes cooperatively while the operator's transaction is on its way.
    assert.equal((await closeRequest(t, channel)).status, 200);
    // The operator's transaction failed: its own mark goes, the reader's closing agreement stays.
    await t.core.abortClose(channel.sender.address, channel.openBlock);
    await expectRefused(t, channel);
  });

  it("waits for the channel: a closing signature being made while the close fails is kept", async () => {
    // The receiver's key, signing only when the test lets it: the closing signature is in the making, under the hold.
    let letSign = () => {};
    const signing = new Promise<void>((resolve) => {
      letSign = resolve;
    });
    let signingStarted = () => {};
    const started = new Promise<void>((resolve) => {
      signingStarted = resolve;
    });
    const key = createTestReceiver().account;
    const account: LocalAccount = {
      ...key,
      async signTypedData(typedData) {
        signingStarted();
        await signing;
        return key.signTypedData(typedData);
      },
    };
    const t = createTestReceiver({ account });
    const channel = t.openChannel();
    assert.equal((await t.signAndPay("/articles/1", channel, price)).status, 200);
    await t.core.beginClose(channel.sender.address, channel.openBlock);
    const closed = closeRequest(t, channel);
    await started;
    const aborted = t.core.abortClose(channel.sender.address, channel.openBlock);
    letSign();
    assert.equal((await closed).status, 200);
    await aborted;
    await expectRefused(t, channel);
  });
});

/** The reader's DELETE for its closing signature at its latest balance. */
async function closeRequest(t: TestReceiver, channel: TestChannel) {
  const proof = await t.sign(channel, price);
  return t.app.request(`${apiPrefix}${channelPath(proof)}`, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(encodeCloseRequestBody(await t.closeRequestBody(channel, price, proof.signature))),
  });
}

/** The channel takes no payment, and its closing agreement at `price` stays on disk (it refuses them after a restart too). */
async function expectRefused(t: TestReceiver, channel: TestChannel) {
  const refused = await t.signAndPay("/articles/1", channel, 2n * price);
  assert.equal(refused.status, 402);
  assert.equal(refused.headers.get(headerNames.nonexistingChannel), "1");
  assert.equal(t.storedProof(channel)?.balance, price);
  assert.deepEqual(
    t.store.loadClosingAgreements().map((agreement) => agreement.balance),
    [price],
    "the agreement is still on disk",
  );
}
