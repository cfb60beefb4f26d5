// The RDN-Sponsored-Open header: a receiver's offer, on its 402s, to open a reader's channel and pay the gas.
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { HeaderReader } from "./paymentHeaders.ts";
import { parsePath, parseUint } from "./wire.ts";

/** What a client needs to take up the offer: where to post the request, and the smallest deposit sponsored. */
export type SponsorOffer = {
  /** Absolute path of the sponsored-open endpoint on the receiver's origin (`/api/1/sponsored-open`). */
  path: string;
  /** The smallest deposit the receiver opens a channel for, in token base units. */
  minDeposit: bigint;
};

const header = headerNames.sponsoredOpen;

/**
 * The header of a sponsor offer: `RDN-Sponsored-Open: path=/api/1/sponsored-open; min-deposit=<decimal>`.
 *
 * @example
 * import { encodeSponsorOfferHeader } from "@micro-raiden/web-client/protocol";
 * const headers = { ...encodePaymentResponseHeaders({ requirements }), ...encodeSponsorOfferHeader(offer) };
 */
export function encodeSponsorOfferHeader(offer: SponsorOffer): Record<string, string> {
  return { [header]: `path=${offer.path}; min-deposit=${offer.minDeposit}` };
}

/**
 * The sponsor offer of a 402, or undefined when it makes none. Parameters may come in any order and unknown ones
 * are ignored (for newer receivers); `path` and `min-deposit` must each be there once. Throws MalformedHeaderError
 * when the header is there but malformed (or given twice).
 *
 * @example
 * import { decodeSponsorOfferHeader } from "@micro-raiden/web-client/protocol";
 * const offer = decodeSponsorOfferHeader(response.headers); // { path, minDeposit } | undefined
 */
export function decodeSponsorOfferHeader(headers: HeaderReader): SponsorOffer | undefined {
  const value = headers.get(header);
  if (value === null) return undefined;
  if (value.length > 256) throw new MalformedHeaderError({ header, reason: "longer than 256 characters" });
  // Fetch joins a repeated header with ", "; a comma is no part of a path or a decimal.
  if (value.includes(",")) throw new MalformedHeaderError({ header, reason: "given more than once" });
  const parameters = new Map<string, string>();
  for (const part of value.split(";")) {
    const [name = "", ...rest] = part.trim().split("=");
    if (rest.length !== 1) throw new MalformedHeaderError({ header, reason: `"${part.trim()}" is not name=value` });
    if (parameters.has(name)) throw new MalformedHeaderError({ header, reason: `${name} given twice` });
    parameters.set(name, rest[0] ?? "");
  }
  const path = parameters.get("path");
  const minDeposit = parameters.get("min-deposit");
  if (path === undefined) throw new MalformedHeaderError({ header, reason: "has no path" });
  if (minDeposit === undefined) throw new MalformedHeaderError({ header, reason: "has no min-deposit" });
  return { path: parsePath(header, path), minDeposit: parseUint(header, minDeposit) };
}
