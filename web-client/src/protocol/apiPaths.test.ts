import assert from "node:assert/strict";
import { it } from "node:test";
import { apiPrefix, channelPath, decodeChannelPathParameters, decodeSenderPathParameter } from "./apiPaths.ts";
import { malformedBody, sender } from "./testValues.test-helper.ts";

it("a channel's path is /channels/<checksummed sender>/<openBlock>, under /api/1", () => {
  assert.equal(`${apiPrefix}${channelPath({ sender, openBlock: 12n })}`, `/api/1/channels/${sender}/12`);
});

it("channel path parameters accept a checksummed or lowercase sender and a canonical uint64", () => {
  for (const raw of [sender, sender.toLowerCase()]) {
    assert.deepEqual(decodeChannelPathParameters({ sender: raw, openBlock: "12" }), { sender, openBlock: 12n });
  }
  const badChecksum = sender.replace("F", "f");
  assert.throws(() => decodeChannelPathParameters({ sender: badChecksum, openBlock: "12" }), malformedBody("sender"));
  assert.throws(() => decodeChannelPathParameters({ sender, openBlock: "012" }), malformedBody("openBlock"));
  assert.throws(
    () => decodeChannelPathParameters({ sender, openBlock: String(2n ** 64n) }),
    malformedBody("openBlock"),
  );
});

it("a sender path parameter accepts a checksummed or lowercase address and refuses anything else as malformed_body", () => {
  for (const raw of [sender, sender.toLowerCase()]) assert.equal(decodeSenderPathParameter(raw), sender);
  for (const bad of [sender.replace("F", "f"), "0x1234", "not-an-address", `${sender},${sender}`]) {
    assert.throws(() => decodeSenderPathParameter(bad), malformedBody("sender"));
  }
});
