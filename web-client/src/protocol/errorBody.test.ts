import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeErrorBody, encodeErrorBody, hasErrorCode } from "./errorBody.ts";
import { isErrorCode, paymentFailures, requestErrorCodes } from "./errorCodes.ts";
import { malformedBody } from "./testValues.test-helper.ts";

it("an error body round-trips for every code of the protocol", () => {
  for (const code of [...Object.keys(paymentFailures), ...Object.keys(requestErrorCodes)]) {
    assert.ok(isErrorCode(code));
    const json = JSON.parse(JSON.stringify(encodeErrorBody(code, "why")));
    assert.deepEqual(json, { error: { code, message: "why" } });
    assert.deepEqual(decodeErrorBody(json), json);
  }
});

it("an error body with an unknown code or without a message is refused", () => {
  assert.throws(() => decodeErrorBody({ error: { code: "teapot", message: "" } }), malformedBody("error.code"));
  assert.throws(() => decodeErrorBody({ error: { code: "not_found" } }), malformedBody("message"));
  assert.throws(() => decodeErrorBody({ error: "not_found" }), malformedBody("error"));
  assert.throws(() => decodeErrorBody({ message: "Not Found" }), malformedBody("error", /missing/));
  assert.throws(() => decodeErrorBody("<html>"), malformedBody("(root)"));
});

it("hasErrorCode finds one code in an error body, and nothing in anything else", () => {
  const body = JSON.parse(JSON.stringify(encodeErrorBody("store_unavailable", "later")));
  assert.equal(hasErrorCode(body, "store_unavailable"), true);
  assert.equal(hasErrorCode(body, "not_found"), false);
  for (const other of [
    undefined,
    null,
    "store_unavailable",
    [],
    { error: "store_unavailable" },
    { code: "store_unavailable" },
  ]) {
    assert.equal(hasErrorCode(other, "store_unavailable"), false, JSON.stringify(other));
  }
});
