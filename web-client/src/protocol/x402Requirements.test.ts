import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeBase64Json } from "./base64Json.ts";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { encodePaymentResponseHeaders, type PaymentRequirements } from "./paymentHeaders.ts";
import { encodeSponsorOfferHeader } from "./sponsorOffer.ts";
import {
  channelScheme,
  decodePaymentRequired,
  decodeSponsorOffer,
  decodeX402ChannelOffer,
  encodeX402PaymentRequired,
  encodeX402PaymentRequiredHeader,
  parseCaip2Network,
} from "./x402Requirements.ts";

const requirements: PaymentRequirements = {
  gatewayPath: "/api/1",
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  chainId: 8453,
  price: 10_000n,
};
const sponsor = {
  path: "/api/1/sponsored-open",
  minDeposit: 1_000_000n,
  kinds: ["receive-authorization", "permit"] as const,
};
const exact = { name: "USD Coin", version: "2", maxTimeoutSeconds: 120 };
const resource = { url: "https://site.example/articles/1", mimeType: "text/html" };
const headerOf = (json: unknown) => new Headers({ [headerNames.paymentRequired]: encodeBase64Json(json) });
const malformed = (reason: RegExp) => (error: unknown) =>
  error instanceof MalformedHeaderError && error.header === "PAYMENT-REQUIRED" && reason.test(error.reason);

describe("PAYMENT-REQUIRED (x402 v2)", () => {
  it("offers the channel first and exact second, in x402's shape", () => {
    const json = encodeX402PaymentRequired({ requirements, resource, maxTimeoutSeconds: 30, sponsor, exact });
    assert.deepEqual(json, {
      x402Version: 2,
      resource,
      accepts: [
        {
          scheme: "micro-raiden-channel",
          network: "eip155:8453",
          amount: "10000",
          asset: requirements.token,
          payTo: requirements.receiver,
          maxTimeoutSeconds: 30,
          extra: {
            channelManager: requirements.contract,
            gatewayPath: "/api/1",
            sponsoredOpen: {
              path: "/api/1/sponsored-open",
              minDeposit: "1000000",
              kinds: ["receive-authorization", "permit"],
            },
          },
        },
        {
          scheme: "exact",
          network: "eip155:8453",
          amount: "10000",
          asset: requirements.token,
          payTo: requirements.receiver,
          maxTimeoutSeconds: 120,
          extra: { name: "USD Coin", version: "2" },
        },
      ],
    });
  });

  it("carries no exact entry for a token without EIP-3009, and x402's reason when it refused a payment", () => {
    const json = encodeX402PaymentRequired({
      requirements,
      resource,
      maxTimeoutSeconds: 30,
      error: "insufficient_funds",
    });
    assert.equal(json.error, "insufficient_funds");
    assert.deepEqual(
      json.accepts.map((entry) => entry.scheme),
      ["micro-raiden-channel"],
    );
  });

  it("gives our client what the RDN headers give, sponsor offer included", () => {
    const headers = new Headers(
      encodeX402PaymentRequiredHeader({ requirements, resource, maxTimeoutSeconds: 30, sponsor }),
    );
    assert.deepEqual(decodeX402ChannelOffer(headers), { requirements, sponsor });
    const unsponsored = new Headers(encodeX402PaymentRequiredHeader({ requirements, resource, maxTimeoutSeconds: 30 }));
    assert.deepEqual(decodeX402ChannelOffer(unsponsored), { requirements, sponsor: undefined });
  });

  it("reads the sponsored-open kinds the offer names: those it knows, permit only when it names none", () => {
    const ours = encodeX402PaymentRequired({ requirements, resource, maxTimeoutSeconds: 30, sponsor }).accepts[0];
    const offering = (sponsoredOpen: unknown) =>
      headerOf({ x402Version: 2, resource, accepts: [{ ...ours, extra: { ...ours?.extra, sponsoredOpen } }] });
    const base = { path: "/api/1/sponsored-open", minDeposit: "1000000" };
    const kindsOf = (sponsoredOpen: unknown) => decodeX402ChannelOffer(offering(sponsoredOpen))?.sponsor?.kinds;
    assert.deepEqual(kindsOf(base), ["permit"], "an offer from before kinds were named");
    assert.deepEqual(kindsOf({ ...base, kinds: ["permit"] }), ["permit"]);
    assert.deepEqual(kindsOf({ ...base, kinds: ["future-kind", "receive-authorization"] }), ["receive-authorization"]);
    assert.deepEqual(kindsOf({ ...base, kinds: ["future-kind"] }), [], "nothing this client can make");
    const bad = (sponsoredOpen: unknown, reason: RegExp) =>
      assert.throws(() => decodeX402ChannelOffer(offering(sponsoredOpen)), malformed(reason));
    bad({ ...base, kinds: "permit" }, /extra.sponsoredOpen.kinds must be an array of strings/);
    bad({ ...base, kinds: [1] }, /extra.sponsoredOpen.kinds must be an array of strings/);
    bad({ ...base, kinds: [] }, /extra.sponsoredOpen.kinds names no kinds/);
    bad({ ...base, kinds: ["permit", "permit"] }, /extra.sponsoredOpen.kinds names a kind twice/);
  });

  it("skips schemes it does not know, and finds none when only those are offered", () => {
    const ours = encodeX402PaymentRequired({ requirements, resource, maxTimeoutSeconds: 30 }).accepts[0];
    const others = [
      { scheme: "upto", network: "eip155:8453", garbage: true },
      { scheme: "exact", network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp" },
      "not even an object",
    ];
    assert.deepEqual(decodeX402ChannelOffer(headerOf({ x402Version: 2, resource, accepts: [...others, ours] })), {
      requirements,
      sponsor: undefined,
    });
    assert.equal(decodeX402ChannelOffer(headerOf({ x402Version: 2, resource, accepts: others })), undefined);
    assert.equal(decodeX402ChannelOffer(new Headers()), undefined);
  });

  it("refuses a header that is not x402 v2, and a malformed channel entry", () => {
    const ours = encodeX402PaymentRequired({ requirements, resource, maxTimeoutSeconds: 30 }).accepts[0];
    const bad = (headers: Headers, reason: RegExp) =>
      assert.throws(() => decodeX402ChannelOffer(headers), malformed(reason));
    bad(new Headers({ [headerNames.paymentRequired]: "%%%" }), /not base64/);
    bad(new Headers({ [headerNames.paymentRequired]: btoa("{not json") }), /JSON/);
    bad(headerOf({ x402Version: 1, accepts: [ours] }), /x402Version must be 2/);
    bad(headerOf({ x402Version: 2, accepts: {} }), /accepts must be an array/);
    bad(headerOf({ x402Version: 2, accepts: [{ ...ours, amount: "1e3" }] }), /amount must be an unsigned decimal/);
    bad(headerOf({ x402Version: 2, accepts: [{ ...ours, amount: "0" }] }), /amount must be positive/);
    bad(headerOf({ x402Version: 2, accepts: [{ ...ours, network: "eip155:0x1" }] }), /network/);
    bad(headerOf({ x402Version: 2, accepts: [{ ...ours, payTo: "0x1234" }] }), /payTo must be/);
    bad(headerOf({ x402Version: 2, accepts: [{ ...ours, extra: {} }] }), /extra.gatewayPath must be a string/);
    bad(
      headerOf({ x402Version: 2, accepts: [{ ...ours, extra: { ...ours?.extra, sponsoredOpen: { path: "x" } } }] }),
      /extra.sponsoredOpen.path must be an absolute path/,
    );
    assert.equal(channelScheme, ours?.scheme);
  });

  it("pays by the RDN headers when a 402 has them, else by our PAYMENT-REQUIRED entry", () => {
    const x402 = encodeX402PaymentRequiredHeader({ requirements, resource, maxTimeoutSeconds: 30, sponsor });
    assert.deepEqual(decodePaymentRequired(new Headers(x402)), { requirements, echo: undefined, failure: undefined });
    assert.deepEqual(decodeSponsorOffer(new Headers(x402)), sponsor, "the sponsor offer from the same entry");
    const rdn = { ...encodePaymentResponseHeaders({ requirements: { ...requirements, price: 7n } }), ...x402 };
    assert.equal(decodePaymentRequired(new Headers(rdn)).requirements.price, 7n, "the RDN headers win");
    assert.equal(decodeSponsorOffer(new Headers(rdn)), undefined, "RDN-Sponsored-Open says no offer");
    const permitOffer = { ...sponsor, kinds: ["permit"] as const };
    assert.deepEqual(
      decodeSponsorOffer(new Headers({ ...rdn, ...encodeSponsorOfferHeader(permitOffer) })),
      permitOffer,
      "and RDN-Sponsored-Open's offer wins too",
    );
    assert.throws(
      () => decodePaymentRequired(headerOf({ x402Version: 2, resource, accepts: [{ scheme: "exact" }] })),
      (error: unknown) => error instanceof MalformedHeaderError && error.header === "RDN-Gateway-Path",
    );
  });

  it("reads CAIP-2 EVM networks only", () => {
    assert.equal(parseCaip2Network("eip155:31337"), 31337);
    assert.equal(parseCaip2Network("eip155:01"), undefined);
    assert.equal(parseCaip2Network("solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"), undefined);
    assert.equal(parseCaip2Network("eip155:99999999999999999"), undefined);
  });
});
