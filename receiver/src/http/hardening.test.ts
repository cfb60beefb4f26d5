// Attacks found in review: reading another sender's proof through an echo, reusing a closing agreement after a
// restart, and getting paid content charged through HEAD.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { apiPrefix, channelPath, encodeCloseRequestBody, headerNames } from "@micro-raiden/web-client/protocol";
import { sqliteStore } from "../store/sqliteStore.ts";
import { articlePrice, createTestReceiver, newAccount, tempDirectory } from "./testReceiver.test-helper.ts";

const price = articlePrice;

describe("hardening", () => {
  it("a stranger naming someone else's channel learns nothing about it", async () => {
    const t = createTestReceiver();
    const victim = t.openChannel();
    assert.equal((await t.signAndPay("/articles/1", victim, price)).status, 200);
    // Wrong amount, signed by the stranger for the victim's channel: refused, and no echo of the victim's proof.
    const probe = await t.sign(victim, 5n * price, { signer: newAccount() });
    const response = await t.pay("/articles/1", probe);
    assert.equal(response.status, 402);
    assert.equal(response.headers.get(headerNames.balanceSignature), null);
    assert.equal(response.headers.get(headerNames.senderBalance), null);
    assert.equal(response.headers.get(headerNames.senderAddress), null);
    // The victim itself, with a wrong amount, does get its echo to resynchronize.
    const own = await t.pay("/articles/1", await t.sign(victim, 5n * price));
    assert.equal(own.headers.get(headerNames.senderBalance), price.toString());
  });

  it("a closing agreement survives a restart: the channel takes no more payments", async () => {
    const directory = tempDirectory();
    const path = join(directory.path, "receiver.db");
    const first = createTestReceiver({ store: sqliteStore(path) });
    const channel = first.openChannel();
    assert.equal((await first.signAndPay("/articles/1", channel, price)).status, 200);
    const proof = await first.sign(channel, price);
    const closed = await first.app.request(`${apiPrefix}${channelPath(proof)}`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(encodeCloseRequestBody(await first.closeRequestBody(channel, price, proof.signature))),
    });
    assert.equal(closed.status, 200);
    first.store.close();

    const restarted = createTestReceiver({ store: sqliteStore(path) });
    const after = await restarted.pay("/articles/1", await restarted.sign(channel, 2n * price));
    assert.equal(after.status, 402);
    assert.equal(after.headers.get(headerNames.nonexistingChannel), "1");
    restarted.store.close();
    directory.cleanup();
  });

  it("a paid HEAD is not charged", async () => {
    const t = createTestReceiver();
    const channel = t.openChannel();
    const payment = await t.sign(channel, price);
    const head = await t.app.request("/articles/1", { method: "HEAD", headers: t.paymentHeaders(payment) });
    assert.equal(head.status, 200);
    assert.equal(t.storedProof(channel), undefined);
    assert.equal((await t.pay("/articles/1", payment)).status, 200);
    assert.equal(t.storedProof(channel)?.balance, price);
  });
});
