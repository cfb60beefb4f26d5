// x402 v2's PAYMENT-REQUIRED header on the receiver's 402s: the one mapping between our requirements and x402's
// `accepts` entries (see the protocol README, "x402 v2"). Stock x402 clients skip the channel entry (a scheme they
// do not know) and pay `exact`; our client reads the channel entry and skips everything else.
import { decodeBase64Json, encodeBase64Json } from "./base64Json.ts";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { decodePaymentResponseHeaders, type HeaderReader, type PaymentRequirements } from "./paymentHeaders.ts";
import { isJsonObject } from "./readJsonBody.ts";
import {
  decodeSponsorOfferHeader,
  parseSponsoredOpenKinds,
  type SponsorOffer,
  unnamedSponsoredOpenKinds,
} from "./sponsorOffer.ts";
import { parseAddress, parsePath, parseUint } from "./wire.ts";

/** The x402 protocol version this receiver speaks. */
export const x402Version = 2;

/**
 * Our scheme's name in x402's `accepts`: pay by a balance proof on a payment channel of the channel manager in
 * `extra` (the `RDN-*` request headers carry the payment). Unknown to stock x402 clients, which skip it.
 */
export const channelScheme = "micro-raiden-channel";

/** x402's scheme of one on-chain transfer per request (EIP-3009 `transferWithAuthorization` on EVM chains). */
export const exactScheme = "exact";

/** x402's ResourceInfo: the resource a 402 is about. */
export type X402Resource = { url: string; description?: string | undefined; mimeType?: string | undefined };

/** One `accepts` entry as it travels (amounts are decimal strings). */
export type X402RequirementJson = {
  scheme: string;
  network: string;
  amount: string;
  asset: string;
  payTo: string;
  maxTimeoutSeconds: number;
  extra: Record<string, unknown>;
};

/** The PAYMENT-REQUIRED header's JSON. */
export type X402PaymentRequiredJson = {
  x402Version: 2;
  /** Why payment is required again: x402's reason code for a refused payment, or a human-readable note. */
  error?: string;
  resource: X402Resource;
  accepts: X402RequirementJson[];
};

/** The token's EIP-712 domain name and version, which x402's `exact` clients sign their authorization in. */
export type ExactOffer = { name: string; version: string; maxTimeoutSeconds: number };

/** What a receiver's 402 offers, in our types. */
export type X402Offer = {
  requirements: PaymentRequirements;
  resource: X402Resource;
  /** How long a channel payment may take, request included (the receiver's request timeout), in seconds. */
  maxTimeoutSeconds: number;
  /** The receiver's sponsored-open offer, also on `RDN-Sponsored-Open`. */
  sponsor?: SponsorOffer | undefined;
  /** Present when the receiver takes `exact` payments (the token has EIP-3009). */
  exact?: ExactOffer | undefined;
  /** x402's reason for refusing the payment the request carried. */
  error?: string | undefined;
};

/** CAIP-2 network of an EVM chain: `eip155:<chainId>`. */
export function caip2Network(chainId: number): string {
  return `eip155:${chainId}`;
}

/**
 * The chain id of a CAIP-2 `eip155:<chainId>` network, or undefined for any other namespace or a malformed id.
 *
 * @example
 * import { parseCaip2Network } from "@micro-raiden/web-client/protocol";
 * parseCaip2Network("eip155:8453"); // 8453
 */
export function parseCaip2Network(network: string): number | undefined {
  const match = /^eip155:([1-9][0-9]{0,15})$/.exec(network);
  const id = match?.[1] === undefined ? undefined : Number(match[1]);
  return id !== undefined && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The `exact` entry for a price: EIP-3009 `transferWithAuthorization` of exactly `amount` of the token to the
 * receiver, signed in the token's domain (`extra.name`, `extra.version`, as x402's clients expect).
 */
export function exactRequirement(requirements: PaymentRequirements, exact: ExactOffer): X402RequirementJson {
  return {
    scheme: exactScheme,
    network: caip2Network(requirements.chainId),
    amount: requirements.price.toString(),
    asset: requirements.token,
    payTo: requirements.receiver,
    maxTimeoutSeconds: exact.maxTimeoutSeconds,
    extra: { name: exact.name, version: exact.version },
  };
}

/** The PAYMENT-REQUIRED JSON of an offer: the channel entry first (our preference), then `exact` if offered. */
export function encodeX402PaymentRequired(offer: X402Offer): X402PaymentRequiredJson {
  const { requirements, sponsor } = offer;
  const channel: X402RequirementJson = {
    scheme: channelScheme,
    network: caip2Network(requirements.chainId),
    amount: requirements.price.toString(),
    asset: requirements.token,
    payTo: requirements.receiver,
    maxTimeoutSeconds: offer.maxTimeoutSeconds,
    extra: {
      channelManager: requirements.contract,
      gatewayPath: requirements.gatewayPath,
      ...(sponsor
        ? {
            sponsoredOpen: { path: sponsor.path, minDeposit: sponsor.minDeposit.toString(), kinds: [...sponsor.kinds] },
          }
        : {}),
    },
  };
  return {
    x402Version,
    ...(offer.error === undefined ? {} : { error: offer.error }),
    resource: offer.resource,
    accepts: offer.exact ? [channel, exactRequirement(requirements, offer.exact)] : [channel],
  };
}

/**
 * The PAYMENT-REQUIRED header of a 402, beside its `RDN-*` headers.
 *
 * @example
 * import { encodeX402PaymentRequiredHeader } from "@micro-raiden/web-client/protocol";
 * const headers = { ...encodePaymentResponseHeaders({ requirements }), ...encodeX402PaymentRequiredHeader(offer) };
 */
export function encodeX402PaymentRequiredHeader(offer: X402Offer): Record<string, string> {
  return { [headerNames.paymentRequired]: encodeBase64Json(encodeX402PaymentRequired(offer)) };
}

/** What our client takes from a PAYMENT-REQUIRED header: the first channel entry, as the `RDN-*` headers say it. */
export type X402ChannelOffer = { requirements: PaymentRequirements; sponsor: SponsorOffer | undefined };

const header = headerNames.paymentRequired;

function fail(reason: string): never {
  throw new MalformedHeaderError({ header, reason });
}

function field(value: object, name: string): unknown {
  return Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined;
}

/** Reads the string field `name` of `value` (`label` is its path for messages) with a header parser. */
function parsed<T>(value: object, name: string, label: string, parse: (field: string) => T): T {
  const found = field(value, name);
  if (typeof found !== "string") fail(`${label} must be a string`);
  try {
    return parse(found);
  } catch (error) {
    if (error instanceof MalformedHeaderError) fail(`${label} ${error.reason}`);
    throw error;
  }
}

/** Reads the requirements of one of our channel entries, as strictly as the `RDN-*` headers are read. */
function channelRequirements(entry: object): PaymentRequirements {
  const chainId = parsed(entry, "network", "network", parseCaip2Network);
  if (chainId === undefined) fail(`network must be eip155:<chain id> for ${channelScheme}`);
  const extra = channelExtra(entry);
  const requirements: PaymentRequirements = {
    gatewayPath: parsed(extra, "gatewayPath", "extra.gatewayPath", (v) => parsePath(header, v)),
    receiver: parsed(entry, "payTo", "payTo", (v) => parseAddress(header, v)),
    contract: parsed(extra, "channelManager", "extra.channelManager", (v) => parseAddress(header, v)),
    token: parsed(entry, "asset", "asset", (v) => parseAddress(header, v)),
    chainId,
    price: parsed(entry, "amount", "amount", (v) => parseUint(header, v)),
  };
  if (requirements.price === 0n) fail("amount must be positive");
  return requirements;
}

function channelExtra(entry: object): object {
  const extra = field(entry, "extra");
  if (!isJsonObject(extra)) fail("extra must be an object");
  return extra;
}

/**
 * The sponsor offer of one of our channel entries (`extra.sponsoredOpen`), or undefined. Read apart from the
 * requirements: a payment from a stored channel (the payment worker's) needs none of it.
 */
function channelSponsor(entry: object): SponsorOffer | undefined {
  const offered = field(channelExtra(entry), "sponsoredOpen");
  if (offered === undefined) return undefined;
  if (!isJsonObject(offered)) fail("extra.sponsoredOpen must be an object");
  const kinds = field(offered, "kinds");
  if (kinds !== undefined && !(Array.isArray(kinds) && kinds.every((kind) => typeof kind === "string"))) {
    fail("extra.sponsoredOpen.kinds must be an array of strings");
  }
  return {
    path: parsed(offered, "path", "extra.sponsoredOpen.path", (v) => parsePath(header, v)),
    minDeposit: parsed(offered, "minDeposit", "extra.sponsoredOpen.minDeposit", (v) => parseUint(header, v)),
    // As on RDN-Sponsored-Open: an offer naming no kinds takes the permit-based request only.
    kinds:
      kinds === undefined
        ? unnamedSponsoredOpenKinds
        : parseSponsoredOpenKinds(kinds, (reason) => fail(`extra.sponsoredOpen.kinds ${reason}`)),
  };
}

/**
 * The first entry of our scheme in a 402's PAYMENT-REQUIRED header, or undefined when there is no such header or no
 * such entry (entries of other schemes are skipped unread, as x402 clients do). Throws MalformedHeaderError when the
 * header is not x402 v2 base64 JSON.
 */
function channelEntry(headers: HeaderReader): object | undefined {
  const value = headers.get(header);
  if (value === null) return undefined;
  const json = decodeBase64Json(header, value);
  if (!isJsonObject(json)) fail("must be a JSON object");
  if (field(json, "x402Version") !== x402Version) fail(`x402Version must be ${x402Version}`);
  const accepts = field(json, "accepts");
  if (!Array.isArray(accepts)) fail("accepts must be an array");
  return accepts.find((entry) => isJsonObject(entry) && field(entry, "scheme") === channelScheme);
}

/**
 * Our scheme's offer in a 402's PAYMENT-REQUIRED header: undefined when there is no such header or no entry of our
 * scheme (entries of other schemes are skipped unread, as x402 clients do). Throws MalformedHeaderError when the
 * header is not x402 v2 base64 JSON, or our scheme's entry is malformed.
 *
 * @example
 * import { decodeX402ChannelOffer } from "@micro-raiden/web-client/protocol";
 * const offer = decodeX402ChannelOffer(response.headers); // { requirements, sponsor } | undefined
 */
export function decodeX402ChannelOffer(headers: HeaderReader): X402ChannelOffer | undefined {
  const entry = channelEntry(headers);
  return entry && { requirements: channelRequirements(entry), sponsor: channelSponsor(entry) };
}

/**
 * What a client pays a 402 by: its `RDN-*` headers (`decodePaymentResponseHeaders`) when it has them, else our
 * scheme's entry in x402's PAYMENT-REQUIRED — a server that speaks x402 only — with no echo and no failure reason.
 * Throws MalformedHeaderError when neither says how to pay by channel (the `RDN-*` headers' complaint). The sponsor
 * offer is `decodeSponsorOffer`'s.
 *
 * @example
 * import { decodePaymentRequired } from "@micro-raiden/web-client/protocol";
 * const { requirements, echo, failure } = decodePaymentRequired(response.headers);
 */
export function decodePaymentRequired(headers: HeaderReader): ReturnType<typeof decodePaymentResponseHeaders> {
  const entry = headers.get(headerNames.price) === null ? channelEntry(headers) : undefined;
  return entry
    ? { requirements: channelRequirements(entry), echo: undefined, failure: undefined }
    : decodePaymentResponseHeaders(headers);
}

/**
 * A 402's sponsored-open offer, from where `decodePaymentRequired` takes its requirements: `RDN-Sponsored-Open` when
 * the 402 has `RDN-*` headers, else our x402 entry's `extra.sponsoredOpen`; undefined when it makes none. Throws
 * MalformedHeaderError for a malformed offer (a client then opens the channel itself).
 *
 * @example
 * import { decodeSponsorOffer } from "@micro-raiden/web-client/protocol";
 * const offer = decodeSponsorOffer(response.headers); // { path, minDeposit, kinds } | undefined
 */
export function decodeSponsorOffer(headers: HeaderReader): SponsorOffer | undefined {
  const entry = headers.get(headerNames.price) === null ? channelEntry(headers) : undefined;
  return entry ? channelSponsor(entry) : decodeSponsorOfferHeader(headers);
}
