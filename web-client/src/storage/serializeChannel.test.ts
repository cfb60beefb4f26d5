import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseError } from "../protocol/BaseError.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";
import { parseStoredChannel, serializeChannel } from "./serializeChannel.ts";
import { addresses, bareChannel, fullChannel, lowercase, signature } from "./storageContract.test-helper.ts";

const secp256k1N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const full = serializeChannel(fullChannel);
const bare = serializeChannel(bareChannel);

/** The same signature with s replaced by n - s and v flipped: valid for ecrecover, refused by the contract. */
const malleated = `0x${signature.slice(2, 66)}${(secp256k1N - BigInt(`0x${signature.slice(66, 130)}`)).toString(16).padStart(64, "0")}1b`;

describe("serializeChannel", () => {
  it("writes bigints as decimal strings and leaves absent optionals out", () => {
    assert.deepEqual(bare, {
      chainId: 31337,
      contract: addresses.contract,
      token: addresses.token,
      sender: addresses.sender,
      receiver: addresses.receiver,
      openBlock: "12",
      deposit: "10000",
      balance: "0",
      state: "open",
    });
    assert.equal(full.deposit, (2n ** 256n - 1n).toString());
    assert.equal(full.openBlock, "18446744073709551615");
    assert.equal(full.settleBlock, "1152921504606846979");
    assert.equal(full.balanceSignature, signature);
  });

  it("keeps what the reader allowed to pay automatically, and when it was paid", () => {
    const limited = { ...bareChannel, autoPay: { maxPrice: 10n ** 15n, perMinute: 30 }, autoPaidAt: [1, 2] };
    const serialized = serializeChannel(limited);
    assert.deepEqual(serialized.autoPay, { maxPrice: "1000000000000000", perMinute: 30 });
    assert.deepEqual(parseStoredChannel(JSON.parse(JSON.stringify(serialized))), limited);
  });

  it("keeps the sender's delegation of this origin's own key", () => {
    // Any real signature does: the parser checks its form, the receiver its signer.
    const delegated = { ...fullChannel, signerDelegation: fullChannel.balanceSignature };
    assert.equal(serializeChannel(delegated).signerDelegation, signature);
    assert.deepEqual(parseStoredChannel(JSON.parse(JSON.stringify(serializeChannel(delegated)))), delegated);
  });

  it("survives JSON", () => {
    assert.deepEqual(parseStoredChannel(JSON.parse(JSON.stringify(full))), fullChannel);
    assert.deepEqual(parseStoredChannel(JSON.parse(JSON.stringify(bare))), bareChannel);
  });
});

describe("parseStoredChannel", () => {
  it("reads null optionals as undefined and ignores unknown fields", () => {
    const withNulls = { ...bare, balanceSignature: null, delegatedSigner: null, sessionKey: null, settleBlock: null };
    assert.deepEqual(parseStoredChannel({ ...withNulls, note: "from an older release" }), bareChannel);
  });

  it("checksums addresses and lowercases hex", () => {
    const shouting = `0x${signature.slice(2).toUpperCase()}`;
    const input = {
      ...full,
      contract: lowercase(addresses.contract),
      delegatedSigner: lowercase(addresses.delegatedSigner),
      balanceSignature: shouting,
      sessionKey: `0x${fullChannel.sessionKey?.slice(2).toUpperCase()}`,
    };
    assert.deepEqual(parseStoredChannel(input), fullChannel);
  });

  it("accepts every state", () => {
    for (const state of ["open", "closing", "closed"] as const) {
      assert.equal(parseStoredChannel({ ...bare, state }).state, state);
    }
  });

  const { receiver: _, ...withoutReceiver } = bare;
  for (const [name, input, field] of [
    ["not an object", "channel", "(root)"],
    ["null", null, "(root)"],
    ["an array", [bare], "(root)"],
    ["a missing chain id", { ...bare, chainId: undefined }, "chainId"],
    ["a chain id as a string", { ...bare, chainId: "31337" }, "chainId"],
    ["a zero chain id", { ...bare, chainId: 0 }, "chainId"],
    ["a fractional chain id", { ...bare, chainId: 1.5 }, "chainId"],
    ["an unsafe chain id", { ...bare, chainId: 2 ** 53 }, "chainId"],
    ["a contract with a bad checksum", { ...bare, contract: addresses.contract.replace("E", "e") }, "contract"],
    ["a short token", { ...bare, token: "0x1234" }, "token"],
    ["a sender as a number", { ...bare, sender: 1234 }, "sender"],
    ["a missing receiver", withoutReceiver, "receiver"],
    ["an open block beyond uint64", { ...bare, openBlock: (2n ** 64n).toString() }, "openBlock"],
    ["an open block as a number", { ...bare, openBlock: 12 }, "openBlock"],
    ["a negative deposit", { ...bare, deposit: "-1" }, "deposit"],
    ["a deposit beyond uint256", { ...bare, deposit: (2n ** 256n).toString() }, "deposit"],
    ["a deposit in exponent notation", { ...bare, deposit: "1e18" }, "deposit"],
    ["a balance with a leading zero", { ...bare, balance: "01" }, "balance"],
    ["a balance with a thousands separator", { ...bare, balance: "1,000" }, "balance"],
    ["a short signature", { ...bare, balanceSignature: signature.slice(0, 130) }, "balanceSignature"],
    ["a malleated signature", { ...bare, balanceSignature: malleated }, "balanceSignature"],
    ["a signature with v = 0", { ...bare, balanceSignature: `${signature.slice(0, 130)}00` }, "balanceSignature"],
    ["a delegated signer that is not hex", { ...bare, delegatedSigner: "session" }, "delegatedSigner"],
    ["a 31-byte session key", { ...bare, sessionKey: fullChannel.sessionKey?.slice(0, 64) }, "sessionKey"],
    ["a zero session key", { ...bare, sessionKey: `0x${"0".repeat(64)}` }, "sessionKey"],
    ["a session key beyond the curve order", { ...bare, sessionKey: `0x${"f".repeat(64)}` }, "sessionKey"],
    ["an unknown state", { ...bare, state: "pending" }, "state"],
    ["a missing state", { ...bare, state: null }, "state"],
    ["a negative settle block", { ...bare, settleBlock: "-3" }, "settleBlock"],
    ["an automatic price as a number", { ...bare, autoPay: { maxPrice: 1000, perMinute: 30 } }, "autoPay"],
    ["a negative automatic price", { ...bare, autoPay: { maxPrice: "-1", perMinute: 30 } }, "autoPay"],
    ["a fractional payment rate", { ...bare, autoPay: { maxPrice: "1000", perMinute: 1.5 } }, "autoPay"],
    ["automatic payment times as strings", { ...bare, autoPaidAt: ["1"] }, "autoPaidAt"],
    ["a malleated delegation", { ...full, signerDelegation: malleated }, "signerDelegation"],
    ["a delegation without the key it delegates to", { ...bare, signerDelegation: signature }, "signerDelegation"],
  ] as const) {
    it(`rejects ${name}, naming the field`, () => {
      assert.throws(
        () => parseStoredChannel(input),
        (error: unknown) =>
          error instanceof InvalidStoredChannelError &&
          error instanceof BaseError &&
          error.name === "InvalidStoredChannelError" &&
          error.field === field &&
          error.message.includes(field),
      );
    });
  }

  it("says where the bad data came from and why, in terms of stored fields", () => {
    assert.throws(
      () => parseStoredChannel({ ...bare, contract: "0x1234" }, "channels.json"),
      (error: unknown) => {
        assert.ok(error instanceof InvalidStoredChannelError);
        assert.equal(error.source, "channels.json");
        assert.equal(
          error.message,
          "Invalid stored channel in channels.json: contract must be a 0x-prefixed 20-byte hex address.",
        );
        assert.doesNotMatch(error.message, /header/);
        return true;
      },
    );
  });
});
