import assert from "node:assert/strict";
import { it } from "node:test";
import { requestErrorCodes } from "./errorCodes.ts";
import { decodePaymentRequiredBody, encodePaymentRequiredBody } from "./paymentRequiredBody.ts";
import { malformedBody } from "./testValues.test-helper.ts";

it("a 402 body is the payment_required error body plus the price as a decimal string, and round-trips", () => {
  const price = 2n ** 200n + 1n;
  const json = JSON.parse(JSON.stringify(encodePaymentRequiredBody({ price, message: "Pay 1." })));
  assert.deepEqual(json, { error: { code: "payment_required", message: "Pay 1." }, price: price.toString() });
  assert.deepEqual(decodePaymentRequiredBody(json), { price, message: "Pay 1." });
  assert.deepEqual(encodePaymentRequiredBody({ price: 5n }).error.message, requestErrorCodes.payment_required);
});

it("a 402 body with another code, a numeric, negative or missing price is refused", () => {
  const error = { code: "payment_required", message: "m" };
  assert.throws(() => decodePaymentRequiredBody({ error, price: 5 }), malformedBody("price"));
  assert.throws(() => decodePaymentRequiredBody({ error, price: "-5" }), malformedBody("price"));
  assert.throws(() => decodePaymentRequiredBody({ error }), malformedBody("price", /missing/));
  assert.throws(
    () => decodePaymentRequiredBody({ error: { code: "invalid_amount", message: "m" }, price: "5" }),
    malformedBody("error.code"),
  );
  assert.throws(() => decodePaymentRequiredBody({ price: "5" }), malformedBody("error"));
});
