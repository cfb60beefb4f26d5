// The RDN-Sponsored-Open header: a receiver's offer, on its 402s, to open a reader's channel and pay the gas.
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { HeaderReader } from "./paymentHeaders.ts";
import { parsePath, parseUint } from "./wire.ts";

/**
 * The requests a sponsored open can be made with. `receive-authorization`: one EIP-3009 ReceiveWithAuthorization whose
 * nonce binds the channel's terms (a token with EIP-3009, such as USDC: the reader signs once). `permit`: an EIP-2612
 * permit and an OpenAuthorization (two signatures).
 */
export const sponsoredOpenKinds = ["receive-authorization", "permit"] as const;
export type SponsoredOpenKind = (typeof sponsoredOpenKinds)[number];

/**
 * What an offer that names no kinds takes: receivers from before the offer named them took only the permit-based
 * request for certain.
 */
export const unnamedSponsoredOpenKinds: readonly SponsoredOpenKind[] = ["permit"];

/** What a client needs to take up the offer: where to post the request, the smallest deposit, the requests taken. */
export type SponsorOffer = {
  /** Absolute path of the sponsored-open endpoint on the receiver's origin (`/api/1/sponsored-open`). */
  path: string;
  /** The smallest deposit the receiver opens a channel for, in token base units. */
  minDeposit: bigint;
  /**
   * The requests the receiver takes, those this client knows of (empty: none it can make): `receive-authorization`
   * when its token has EIP-3009, and `permit`.
   */
  kinds: readonly SponsoredOpenKind[];
};

const header = headerNames.sponsoredOpen;

/**
 * The kinds of an offer from their names as they travel: unknown names are skipped (a newer receiver's), none at all
 * is malformed, a name given twice too. `fail` throws with the reason.
 */
export function parseSponsoredOpenKinds(
  names: readonly string[],
  fail: (reason: string) => never,
): SponsoredOpenKind[] {
  if (names.length === 0) fail("names no kinds");
  if (new Set(names).size !== names.length) fail("names a kind twice");
  return sponsoredOpenKinds.filter((kind) => names.includes(kind));
}

/**
 * The header of a sponsor offer:
 * `RDN-Sponsored-Open: path=/api/1/sponsored-open; min-deposit=<decimal>; kinds=receive-authorization permit`.
 *
 * @example
 * import { encodeSponsorOfferHeader } from "@micro-raiden/web-client/protocol";
 * const headers = { ...encodePaymentResponseHeaders({ requirements }), ...encodeSponsorOfferHeader(offer) };
 */
export function encodeSponsorOfferHeader(offer: SponsorOffer): Record<string, string> {
  return { [header]: `path=${offer.path}; min-deposit=${offer.minDeposit}; kinds=${offer.kinds.join(" ")}` };
}

/**
 * The sponsor offer of a 402, or undefined when it makes none. Parameters may come in any order and unknown ones
 * are ignored (for newer receivers); `path` and `min-deposit` must each be there once. `kinds` lists the requests
 * taken, separated by spaces; an offer without it takes `permit` only. Throws MalformedHeaderError when the header
 * is there but malformed (or given twice).
 *
 * @example
 * import { decodeSponsorOfferHeader } from "@micro-raiden/web-client/protocol";
 * const offer = decodeSponsorOfferHeader(response.headers); // { path, minDeposit, kinds } | undefined
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
  const kinds = parameters.get("kinds");
  return {
    path: parsePath(header, path),
    minDeposit: parseUint(header, minDeposit),
    kinds:
      kinds === undefined
        ? unnamedSponsoredOpenKinds
        : parseSponsoredOpenKinds(kinds.trim().split(/\s+/).filter(Boolean), (reason) => {
            throw new MalformedHeaderError({ header, reason: `kinds ${reason}` });
          }),
  };
}
