import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { decodeSponsorOfferHeader, encodeSponsorOfferHeader, type SponsorOffer } from "./sponsorOffer.ts";

const offer: SponsorOffer = {
  path: "/api/1/sponsored-open",
  minDeposit: 10n ** 18n,
  kinds: ["receive-authorization", "permit"],
};
const header = (value: string) => new Headers({ [headerNames.sponsoredOpen]: value });
const malformed = (reason: RegExp) => (error: unknown) =>
  error instanceof MalformedHeaderError && error.header === "RDN-Sponsored-Open" && reason.test(error.reason);

describe("RDN-Sponsored-Open", () => {
  it("round-trips the endpoint path, the minimum deposit and the kinds of request taken", () => {
    const headers = new Headers(encodeSponsorOfferHeader(offer));
    assert.equal(
      headers.get("RDN-Sponsored-Open"),
      "path=/api/1/sponsored-open; min-deposit=1000000000000000000; kinds=receive-authorization permit",
    );
    assert.deepEqual(decodeSponsorOfferHeader(headers), offer);
    const permitOnly: SponsorOffer = { ...offer, kinds: ["permit"] };
    assert.deepEqual(decodeSponsorOfferHeader(new Headers(encodeSponsorOfferHeader(permitOnly))), permitOnly);
  });

  it("takes the permit-based request only from an offer that names no kinds (receivers from before them)", () => {
    assert.deepEqual(decodeSponsorOfferHeader(header("path=/api/1/sponsored-open; min-deposit=5"))?.kinds, ["permit"]);
  });

  it("keeps the kinds it knows and skips the others (newer receivers')", () => {
    const kinds = (value: string) => decodeSponsorOfferHeader(header(`path=/a; min-deposit=5; kinds=${value}`))?.kinds;
    assert.deepEqual(kinds("future-kind  receive-authorization"), ["receive-authorization"]);
    assert.deepEqual(kinds("future-kind"), [], "an offer this client cannot take up");
  });

  it("is no offer when absent", () => {
    assert.equal(decodeSponsorOfferHeader(new Headers()), undefined);
  });

  it("takes the parameters in any order and ignores unknown ones (newer receivers)", () => {
    assert.deepEqual(
      decodeSponsorOfferHeader(
        header(
          "max-per-day=3; kinds=receive-authorization permit; min-deposit=1000000000000000000;path=/api/1/sponsored-open",
        ),
      ),
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
    assert.throws(() => decodeSponsorOfferHeader(header("path=/a; min-deposit=5; kinds=")), malformed(/no kinds/));
    assert.throws(
      () => decodeSponsorOfferHeader(header("path=/a; min-deposit=5; kinds=permit permit")),
      malformed(/kind twice/),
    );
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
