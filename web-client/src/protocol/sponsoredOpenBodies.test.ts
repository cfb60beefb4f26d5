import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { openAuthorizationTypedData } from "./openAuthorizationTypedData.ts";
import { decodeSponsoredOpenRequestBody, encodeSponsoredOpenRequestBody } from "./sponsoredOpenRequestBody.ts";
import { decodeSponsoredOpenResponseBody, encodeSponsoredOpenResponseBody } from "./sponsoredOpenResponseBody.ts";
import { contract, malformedBody, receiver, sender, signature, token } from "./testValues.test-helper.ts";

const request = {
  contract,
  token,
  sender,
  receiver,
  deposit: 10n ** 18n,
  signer: "0x0000000000000000000000000000000000000000",
  nonce: 0n,
  deadline: 1_700_000_000n,
  authorizationSignature: signature,
  permitSignature: signature,
} as const;

describe("sponsored-open request body", () => {
  it("round-trips through JSON with decimal strings and the protocol's field names", () => {
    const json = JSON.parse(JSON.stringify(encodeSponsoredOpenRequestBody(request)));
    assert.deepEqual(json, {
      contract_address: contract,
      token_address: token,
      sender_address: sender,
      receiver_address: receiver,
      deposit: "1000000000000000000",
      signer_address: "0x0000000000000000000000000000000000000000",
      nonce: "0",
      deadline: "1700000000",
      authorization_signature: signature,
      permit_signature: signature,
    });
    assert.deepEqual(decodeSponsoredOpenRequestBody(json), request);
  });

  it("accepts all-lowercase addresses and returns them checksummed", () => {
    const json = { ...encodeSponsoredOpenRequestBody(request), sender_address: sender.toLowerCase() };
    assert.equal(decodeSponsoredOpenRequestBody(json).sender, sender);
  });

  it("refuses what is not exactly the request", () => {
    const json = encodeSponsoredOpenRequestBody(request);
    assert.throws(() => decodeSponsoredOpenRequestBody(null), malformedBody("(root)"));
    assert.throws(() => decodeSponsoredOpenRequestBody("{}"), malformedBody("(root)"));
    assert.throws(() => decodeSponsoredOpenRequestBody({ ...json, deposit: 1e18 }), malformedBody("deposit", /string/));
    assert.throws(() => decodeSponsoredOpenRequestBody({ ...json, deposit: "1e18" }), malformedBody("deposit"));
    assert.throws(() => decodeSponsoredOpenRequestBody({ ...json, nonce: "-1" }), malformedBody("nonce"));
    assert.throws(
      () => decodeSponsoredOpenRequestBody({ ...json, deadline: String(2n ** 64n) }),
      malformedBody("deadline"),
    );
    assert.throws(
      () => decodeSponsoredOpenRequestBody({ ...json, receiver_address: "0x70997970C51812dc3A010C7d01b50e0d17dc79c8" }),
      malformedBody("receiver_address", /checksum/),
    );
    assert.throws(
      () => decodeSponsoredOpenRequestBody({ ...json, permit_signature: `${signature.slice(0, -2)}1b00` }),
      malformedBody("permit_signature"),
    );
    const { authorization_signature: _, ...partial } = json;
    assert.throws(() => decodeSponsoredOpenRequestBody(partial), malformedBody("authorization_signature", /missing/));
    assert.throws(
      () => decodeSponsoredOpenRequestBody({ ...json, chain_id: "1" }),
      malformedBody("chain_id", /not a field/),
    );
  });
});

describe("sponsored-open response body", () => {
  const answer = { transactionHash: `0x${"ab".repeat(32)}`, openBlock: 42n } as const;

  it("round-trips, ignoring fields a newer receiver adds", () => {
    const json = JSON.parse(JSON.stringify(encodeSponsoredOpenResponseBody(answer)));
    assert.deepEqual(json, { transaction_hash: answer.transactionHash, open_block: "42" });
    assert.deepEqual(decodeSponsoredOpenResponseBody({ ...json, gas_used: "91000" }), answer);
  });

  it("refuses a malformed answer", () => {
    assert.throws(
      () => decodeSponsoredOpenResponseBody({ transaction_hash: "0x12", open_block: "1" }),
      malformedBody("transaction_hash"),
    );
    assert.throws(
      () => decodeSponsoredOpenResponseBody({ transaction_hash: answer.transactionHash, open_block: 1 }),
      malformedBody("open_block", /string/),
    );
  });
});

describe("OpenAuthorization typed data", () => {
  it("is signed and recovered as the sender, and names every field the open depends on", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const message = { ...request, sender: account.address };
    const typedData = openAuthorizationTypedData({ chainId: 31337, contract }, message);
    const signed = await account.signTypedData(typedData);
    assert.equal(await recoverTypedDataAddress({ ...typedData, signature: signed }), account.address);
    assert.deepEqual(
      typedData.types.OpenAuthorization.map((field) => field.name),
      ["sender", "receiver", "deposit", "signer", "nonce", "deadline"],
    );
    assert.deepEqual(typedData.domain, {
      name: "MicroRaiden",
      version: "1",
      chainId: 31337,
      verifyingContract: contract,
    });
  });
});
