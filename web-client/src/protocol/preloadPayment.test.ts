import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { navigationPreload } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { Payment } from "./paymentHeaders.ts";
import {
  decodePreloadPaymentHeader,
  encodePreloadPaymentHeader,
  maxPreloadHeaderLength,
  paysFirstPreload,
} from "./preloadPayment.ts";
import { contract, receiver, sender, signature } from "./testValues.test-helper.ts";

const payment: Payment = { contract, receiver, sender, openBlock: 12n, balance: 5n, signature };

describe("the payment in a navigation preload header", () => {
  it("round-trips a payment and its price, with and without an off-chain delegation", () => {
    for (const paid of [payment, { ...payment, delegation: signature }]) {
      const value = encodePreloadPaymentHeader({ payment: paid, price: 1_000n });
      assert.ok(value.startsWith(`${navigationPreload.paysFirst}; price=1000; `));
      assert.ok(value.length < maxPreloadHeaderLength / 2);
      assert.deepEqual(decodePreloadPaymentHeader(value), { payment: paid, price: 1_000n });
      assert.equal(paysFirstPreload(value), true);
    }
  });

  it("finds no payment in the browser's default, a plain pays-first value or anything else", () => {
    for (const value of [null, undefined, "", "true", navigationPreload.paysFirst, "rdn-pays-firstly; price=1"]) {
      assert.equal(decodePreloadPaymentHeader(value), undefined, String(value));
    }
    assert.equal(paysFirstPreload(navigationPreload.paysFirst), true);
    assert.equal(paysFirstPreload("true"), false);
    assert.equal(paysFirstPreload(null), false);
  });

  it("refuses a value that starts like a payment and is not one, field by field", () => {
    const good = encodePreloadPaymentHeader({ payment, price: 1_000n });
    const bad = [
      `${navigationPreload.paysFirst}; price=1000`, // no payment
      good.replace("price=1000; ", ""), // no price
      good.replace("price=1000", "price=-1"),
      good.replace("price=1000", "price=1e3"),
      `${good}; price=1000`, // a repeated field
      `${good}; cookie=1`, // a field that is not the payment's
      `${good}; junk`,
      good.replace(/rdn-balance=\d+/, "rdn-balance=0x5"),
      good.replace(/rdn-sender-address=0x[0-9a-fA-F]+/, "rdn-sender-address=0x1234"),
      good.replace(/rdn-balance-signature=0x[0-9a-f]+/, "rdn-balance-signature=0xzz"),
      `${good}; rdn-signer-delegation=${"a".repeat(maxPreloadHeaderLength)}`, // too long
    ];
    for (const value of bad) assert.throws(() => decodePreloadPaymentHeader(value), MalformedHeaderError, value);
  });
});
