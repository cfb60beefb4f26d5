import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sponsoredOpenKind } from "./sponsoredOpenKind.ts";

const both = { kinds: ["receive-authorization", "permit"] as const };
const permitOnly = { kinds: ["permit"] as const };
const oneSignatureOnly = { kinds: ["receive-authorization"] as const };
const none = { kinds: [] };

describe("sponsoredOpenKind", () => {
  it("signs once on an EIP-3009 token (USDC) when the offer takes that", () => {
    assert.equal(sponsoredOpenKind(both, "eip3009"), "receive-authorization");
    assert.equal(sponsoredOpenKind(oneSignatureOnly, "eip3009"), "receive-authorization");
  });

  it("signs a permit and an authorization when that is what the offer takes, or all the token has", () => {
    assert.equal(sponsoredOpenKind(permitOnly, "eip3009"), "permit", "USDC has a permit too");
    assert.equal(sponsoredOpenKind(both, "permit"), "permit");
    assert.equal(sponsoredOpenKind(permitOnly, "permit"), "permit");
  });

  it("takes no offer it cannot make a request for: the client opens the channel itself", () => {
    assert.equal(sponsoredOpenKind(oneSignatureOnly, "permit"), undefined, "no EIP-3009 on the token");
    assert.equal(sponsoredOpenKind(both, "erc1363"), undefined, "no permit on the token");
    assert.equal(sponsoredOpenKind(both, "approve"), undefined);
    assert.equal(sponsoredOpenKind(none, "eip3009"), undefined, "kinds this client does not know");
  });
});
