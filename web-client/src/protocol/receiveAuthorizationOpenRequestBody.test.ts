import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeReceiveAuthorizationOpenRequestBody,
  encodeReceiveAuthorizationOpenRequestBody,
} from "./receiveAuthorizationOpenRequestBody.ts";
import { decodeSponsoredOpenRequest, encodeSponsoredOpenRequest } from "./sponsoredOpenRequest.ts";
import { contract, malformedBody, receiver, sender, signature, token } from "./testValues.test-helper.ts";

const request = {
  contract,
  token,
  sender,
  receiver,
  deposit: 10n ** 6n,
  signer: "0x0000000000000000000000000000000000000000",
  validBefore: 1_700_000_000n,
  receiveAuthorizationSignature: signature,
} as const;

describe("one-signature sponsored-open request body", () => {
  it("round-trips through JSON with decimal strings and the protocol's field names", () => {
    const json = JSON.parse(JSON.stringify(encodeReceiveAuthorizationOpenRequestBody(request)));
    assert.deepEqual(json, {
      contract_address: contract,
      token_address: token,
      sender_address: sender,
      receiver_address: receiver,
      deposit: "1000000",
      signer_address: "0x0000000000000000000000000000000000000000",
      valid_before: "1700000000",
      receive_authorization_signature: signature,
    });
    assert.deepEqual(decodeReceiveAuthorizationOpenRequestBody(json), request);
  });

  it("the endpoint's decoder tells it from the permit-based request by its signature field", () => {
    const json = JSON.parse(JSON.stringify(encodeSponsoredOpenRequest(request)));
    assert.deepEqual(decodeSponsoredOpenRequest(json), request);
    const { receiveAuthorizationSignature: _, validBefore, ...terms } = request;
    const permitBased = {
      ...terms,
      nonce: 0n,
      deadline: validBefore,
      authorizationSignature: signature,
      permitSignature: signature,
    };
    assert.deepEqual(
      decodeSponsoredOpenRequest(JSON.parse(JSON.stringify(encodeSponsoredOpenRequest(permitBased)))),
      permitBased,
    );
    // Both kinds' signatures at once is neither body.
    assert.throws(
      () => decodeSponsoredOpenRequest({ ...json, permit_signature: signature }),
      malformedBody("permit_signature"),
    );
  });

  it("refuses anything else with the field at fault", () => {
    const json = encodeReceiveAuthorizationOpenRequestBody(request);
    const decode = decodeReceiveAuthorizationOpenRequestBody;
    assert.throws(() => decode(null), malformedBody("(root)"));
    assert.throws(() => decode({ ...json, deposit: 1e6 }), malformedBody("deposit", /string/));
    assert.throws(() => decode({ ...json, deposit: "-1" }), malformedBody("deposit"));
    assert.throws(() => decode({ ...json, valid_before: String(2n ** 64n) }), malformedBody("valid_before"));
    assert.throws(
      () => decode({ ...json, receive_authorization_signature: `${signature.slice(0, -2)}1b00` }),
      malformedBody("receive_authorization_signature"),
    );
    // A permit-based request's fields mixed in are not this body's.
    assert.throws(() => decode({ ...json, nonce: "0" }), malformedBody("nonce"));
    const { valid_before: _, ...partial } = json;
    assert.throws(() => decode(partial), malformedBody("valid_before", /missing/));
  });
});
