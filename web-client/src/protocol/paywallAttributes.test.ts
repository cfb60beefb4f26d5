import assert from "node:assert/strict";
import { it } from "node:test";
import { MalformedAttributeError } from "./MalformedAttributeError.ts";
import type { PaymentRequirements } from "./paymentHeaders.ts";
import { decodePaywallAttributes, encodePaywallAttributes } from "./paywallAttributes.ts";
import { contract, receiver, token } from "./testValues.test-helper.ts";

const requirements: PaymentRequirements = {
  gatewayPath: "/api/1",
  receiver,
  contract,
  token,
  chainId: 31337,
  price: 10n ** 15n,
};

/** What a DOM element offers the decoder. */
const element = (attributes: Record<string, string>) => ({
  getAttribute: (name: string) => (Object.hasOwn(attributes, name) ? (attributes[name] ?? null) : null),
});

function malformed(attribute: string) {
  return (error: unknown) => {
    assert.ok(error instanceof MalformedAttributeError, String(error));
    assert.equal(error.attribute, attribute);
    return true;
  };
}

it("the paywall element's data-* attributes round-trip the requirements", () => {
  const attributes = encodePaywallAttributes(requirements);
  assert.deepEqual(attributes, {
    "data-price": "1000000000000000",
    "data-receiver": receiver,
    "data-contract": contract,
    "data-token": token,
    "data-chain-id": "31337",
    "data-gateway-path": "/api/1",
  });
  assert.deepEqual(decodePaywallAttributes(element(attributes)), requirements);
});

it("a missing or malformed attribute is refused by name", () => {
  const attributes = encodePaywallAttributes(requirements);
  const { "data-token": _, ...noToken } = attributes;
  assert.throws(() => decodePaywallAttributes(element(noToken)), malformed("data-token"));
  assert.throws(
    () => decodePaywallAttributes(element({ ...attributes, "data-price": "1.5" })),
    malformed("data-price"),
  );
  assert.throws(
    () => decodePaywallAttributes(element({ ...attributes, "data-chain-id": "0" })),
    malformed("data-chain-id"),
  );
  assert.throws(
    () => decodePaywallAttributes(element({ ...attributes, "data-gateway-path": "javascript:alert(1)" })),
    malformed("data-gateway-path"),
  );
});
