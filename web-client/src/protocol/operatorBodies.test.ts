// The operator's commands (POST /withdraw, POST /close-all) and their answer.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeCloseAllRequestBody, encodeCloseAllRequestBody } from "./closeAllRequestBody.ts";
import { decodeOperatorResults, encodeOperatorResults } from "./operatorResults.ts";
import { malformedBody, sender } from "./testValues.test-helper.ts";
import { decodeWithdrawRequestBody, encodeWithdrawRequestBody } from "./withdrawRequestBody.ts";

describe("withdraw request body", () => {
  it("takes {} or a decimal-string threshold", () => {
    assert.deepEqual(decodeWithdrawRequestBody({}), {});
    assert.deepEqual(decodeWithdrawRequestBody(encodeWithdrawRequestBody({ threshold: 10n ** 15n })), {
      threshold: 10n ** 15n,
    });
    assert.deepEqual(encodeWithdrawRequestBody({}), {});
  });

  it("refuses a JSON number, any other type, other fields and anything not an object", () => {
    for (const threshold of [5, true, null, [], {}, "-1", "1e3", " 1"]) {
      assert.throws(() => decodeWithdrawRequestBody({ threshold }), malformedBody("threshold"), String(threshold));
    }
    assert.throws(() => decodeWithdrawRequestBody({ treshold: "5" }), malformedBody("treshold"));
    for (const body of [undefined, null, "5", 5, []]) {
      assert.throws(() => decodeWithdrawRequestBody(body), malformedBody("(root)"));
    }
  });
});

describe("close-all request body", () => {
  it("takes an empty body or {}", () => {
    assert.deepEqual(decodeCloseAllRequestBody(undefined), {});
    assert.deepEqual(decodeCloseAllRequestBody(encodeCloseAllRequestBody()), {});
  });

  it("refuses anything else", () => {
    assert.throws(() => decodeCloseAllRequestBody({ threshold: "1" }), malformedBody("threshold"));
    assert.throws(() => decodeCloseAllRequestBody(null), malformedBody("(root)"));
    assert.throws(() => decodeCloseAllRequestBody("all"), malformedBody("(root)"));
  });
});

describe("operator results", () => {
  const hash = `0x${"ab".repeat(32)}` as const;
  const results = [
    { sender, openBlock: 12n, balance: 5000n, transactionHash: hash },
    { sender, openBlock: 13n, balance: 7n, transactionHash: undefined, error: "nonce too low" },
    { sender, openBlock: 14n, balance: 9n, transactionHash: hash, skipped: { index: 3, reason: "ChannelNotFound" } },
  ];

  it("round-trips, a failed entry with a null transaction hash and its error, a skipped one with its index and reason", () => {
    const json = JSON.parse(JSON.stringify(encodeOperatorResults(results)));
    assert.deepEqual(json, [
      { sender_address: sender, open_block: "12", balance: "5000", transaction_hash: hash },
      { sender_address: sender, open_block: "13", balance: "7", transaction_hash: null, error: "nonce too low" },
      {
        sender_address: sender,
        open_block: "14",
        balance: "9",
        transaction_hash: hash,
        skipped_index: 3,
        skipped_reason: "ChannelNotFound",
      },
    ]);
    assert.deepEqual(decodeOperatorResults(json), results);
  });

  it("names the bad entry and field", () => {
    const [good] = encodeOperatorResults(results);
    assert.throws(() => decodeOperatorResults({}), malformedBody("(root)", /array/));
    assert.throws(() => decodeOperatorResults([good, { ...good, balance: 5 }]), malformedBody("[1].balance"));
    assert.throws(
      () => decodeOperatorResults([{ ...good, transaction_hash: "0x1" }]),
      malformedBody("[0].transaction_hash"),
    );
    // Half a skip report, or an index that is not a small non-negative integer, is not an answer.
    assert.throws(() => decodeOperatorResults([{ ...good, skipped_index: 1 }]), malformedBody("[0].skipped_reason"));
    assert.throws(
      () => decodeOperatorResults([{ ...good, skipped_reason: "NothingToWithdraw" }]),
      malformedBody("[0].skipped_index"),
    );
    for (const index of ["1", -1, 1.5]) {
      assert.throws(
        () => decodeOperatorResults([{ ...good, skipped_index: index, skipped_reason: "ChannelNotFound" }]),
        malformedBody("[0].skipped_index"),
        String(index),
      );
    }
  });
});
