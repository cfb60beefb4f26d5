import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { decodeSponsorOfferHeader, encodeSponsorOfferHeader } from "./sponsorOffer.ts";

const offer = { path: "/api/1/sponsored-open", minDeposit: 10n ** 18n };
const header = (value: string) => new Headers({ [headerNames.sponsoredOpen]: value });
const malformed = (reason: RegExp) => (error: unknown) =>
  error instanceof MalformedHeaderError && error.header === "RDN-Sponsored-Open" && reason.test(error.reason);

describe("RDN-Sponsored-Open", () => {
  it("round-trips the endpoint path and the minimum deposit", () => {
    const headers = new Headers(encodeSponsorOfferHeader(offer));
    assert.equal(headers.get("RDN-Sponsored-Open"), "path=/api/1/sponsored-open; min-deposit=1000000000000000000");
    assert.deepEqual(decodeSponsorOfferHeader(headers), offer);
  });

  it("is no offer when absent", () => {
    assert.equal(decodeSponsorOfferHeader(new Headers()), undefined);
  });

  it("takes the parameters in any order and ignores unknown ones (newer receivers)", () => {
    assert.deepEqual(
      decodeSponsorOfferHeader(header("max-per-day=3; min-deposit=1000000000000000000;path=/api/1/sponsored-open")),
      offer,
    );
  });

  it("refuses an offer a client could be misled by", () => {
    assert.throws(() => decodeSponsorOfferHeader(header("path=/api/1/sponsored-open")), malformed(/min-deposit/));
    assert.throws(() => decodeSponsorOfferHeader(header("min-deposit=5")), malformed(/no path/));
    assert.throws(
      () => decodeSponsorOfferHeader(header("path=https://evil.example/x; min-deposit=5")),
      malformed(/path/),
    );
    assert.throws(() => decodeSponsorOfferHeader(header("path=/a; min-deposit=-5")), malformed(/decimal/));
    assert.throws(() => decodeSponsorOfferHeader(header("path=/a; min-deposit=0x10")), malformed(/decimal/));
    assert.throws(() => decodeSponsorOfferHeader(header("path=/a; path=/b; min-deposit=5")), malformed(/twice/));
    assert.throws(() => decodeSponsorOfferHeader(header("path=/a; min-deposit")), malformed(/name=value/));
    const twice = new Headers();
    twice.append(headerNames.sponsoredOpen, "path=/a; min-deposit=5");
    twice.append(headerNames.sponsoredOpen, "path=/b; min-deposit=1");
    assert.throws(() => decodeSponsorOfferHeader(twice), malformed(/more than once/));
    assert.throws(
      () => decodeSponsorOfferHeader(header(`path=/a; min-deposit=5; x=${"a".repeat(300)}`)),
      malformed(/256/),
    );
  });
});
