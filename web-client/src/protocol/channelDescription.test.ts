import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type ChannelDescription,
  channelStates,
  decodeChannelDescription,
  decodeChannelDescriptions,
  encodeChannelDescription,
} from "./channelDescription.ts";
import { malformedBody, sender, signature } from "./testValues.test-helper.ts";

const publicView: ChannelDescription = { sender, openBlock: 12n, deposit: 10n ** 18n, state: "open" };
const operatorView: ChannelDescription = {
  ...publicView,
  details: { balance: 5000n, withdrawn: 1000n, balanceSignature: signature },
};

describe("channel description", () => {
  it("round-trips the public view (no balance) and the operator's view", () => {
    assert.deepEqual(encodeChannelDescription(publicView), {
      sender_address: sender,
      open_block: "12",
      deposit: "1000000000000000000",
      state: "open",
    });
    for (const view of [publicView, operatorView]) {
      assert.deepEqual(decodeChannelDescription(JSON.parse(JSON.stringify(encodeChannelDescription(view)))), view);
    }
  });

  it("writes a null balance_signature while nothing is paid, and reads it back as undefined", () => {
    const unpaid: ChannelDescription = {
      ...publicView,
      details: { balance: 0n, withdrawn: 0n, balanceSignature: undefined },
    };
    const json = encodeChannelDescription(unpaid);
    assert.equal(json.balance_signature, null);
    assert.deepEqual(decodeChannelDescription(JSON.parse(JSON.stringify(json))), unpaid);
  });

  it("knows exactly the four states", () => {
    assert.deepEqual(channelStates, ["pending", "open", "closing", "settled"]);
    const json = encodeChannelDescription(publicView);
    for (const state of channelStates) assert.equal(decodeChannelDescription({ ...json, state }).state, state);
    assert.throws(() => decodeChannelDescription({ ...json, state: "closed" }), malformedBody("state"));
  });

  it("refuses partial operator details and malformed fields", () => {
    const json = encodeChannelDescription(publicView);
    assert.throws(() => decodeChannelDescription({ ...json, balance: "5" }), malformedBody("withdrawn", /missing/));
    assert.throws(() => decodeChannelDescription({ ...json, deposit: 5 }), malformedBody("deposit"));
    assert.throws(() => decodeChannelDescription({ ...json, sender_address: "0x1" }), malformedBody("sender_address"));
    assert.throws(
      () => decodeChannelDescriptions([json, { ...json, open_block: "-1" }]),
      malformedBody("[1].open_block"),
    );
    assert.throws(() => decodeChannelDescriptions(json), malformedBody("(root)"));
  });
});
