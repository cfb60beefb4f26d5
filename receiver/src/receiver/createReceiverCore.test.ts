// The operator's close-all stops a channel's payments before its transaction: that mark must survive a restart
// (a proof taken after it could never be redeemed), and must be taken back when the close fails.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createTestReceiver, tempDirectory } from "../http/testReceiver.test-helper.ts";
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
    first.core.abortClose(channel.sender.address, channel.openBlock);
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
});
