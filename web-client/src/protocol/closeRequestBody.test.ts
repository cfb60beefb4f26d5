import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeCloseRequestBody, encodeCloseRequestBody } from "./closeRequestBody.ts";
import { decodeCloseResponseBody, encodeCloseResponseBody } from "./closeResponseBody.ts";
import { malformedBody, signature } from "./testValues.test-helper.ts";

const request = {
  balance: 10n ** 18n,
  balanceSignature: signature,
  deadline: 1_700_000_000n,
  closeRequestSignature: signature,
};

describe("close request body", () => {
  it("round-trips through JSON with decimal strings and the protocol's field names", () => {
    const json = JSON.parse(JSON.stringify(encodeCloseRequestBody(request)));
    assert.deepEqual(json, {
      balance: "1000000000000000000",
      balance_signature: signature,
      deadline: "1700000000",
      close_request_signature: signature,
    });
    assert.deepEqual(decodeCloseRequestBody(json), request);
  });

  it("refuses what is not exactly the request", () => {
    const json = encodeCloseRequestBody(request);
    assert.throws(() => decodeCloseRequestBody(undefined), malformedBody("(root)"));
    assert.throws(() => decodeCloseRequestBody([json]), malformedBody("(root)"));
    assert.throws(() => decodeCloseRequestBody({ ...json, balance: 1000 }), malformedBody("balance", /string/));
    assert.throws(() => decodeCloseRequestBody({ ...json, balance: "01" }), malformedBody("balance"));
    assert.throws(() => decodeCloseRequestBody({ ...json, deadline: String(2n ** 64n) }), malformedBody("deadline"));
    assert.throws(
      () => decodeCloseRequestBody({ ...json, balance_signature: "0x12" }),
      malformedBody("balance_signature"),
    );
    const { close_request_signature: _, ...partial } = json;
    assert.throws(() => decodeCloseRequestBody(partial), malformedBody("close_request_signature", /missing/));
    assert.throws(() => decodeCloseRequestBody({ ...json, sender: "0x" }), malformedBody("sender", /not a field/));
  });
});

describe("close response body", () => {
  it("round-trips, ignoring fields a newer receiver may add", () => {
    assert.deepEqual(encodeCloseResponseBody({ closeSignature: signature }), { close_signature: signature });
    assert.deepEqual(decodeCloseResponseBody({ close_signature: signature, note: "x" }), { closeSignature: signature });
  });

  it("refuses an answer without a well-formed signature", () => {
    assert.throws(() => decodeCloseResponseBody({}), malformedBody("close_signature", /missing/));
    assert.throws(() => decodeCloseResponseBody({ close_signature: 1 }), malformedBody("close_signature"));
    assert.throws(() => decodeCloseResponseBody("0x"), malformedBody("(root)"));
  });
});
