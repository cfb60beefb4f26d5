import type { SponsoredOpenKind, SponsorOffer } from "../protocol/index.ts";
import type { DepositMethod } from "./detectDepositMethod.ts";

/**
 * The sponsored-open request a client makes for a receiver's offer and the token's deposit method: one signature
 * (`receive-authorization`) when the token has EIP-3009 and the offer takes it, else a permit and an authorization
 * (`permit`) when the token has EIP-2612 and the offer takes that; undefined when the offer is of no use here (the
 * client opens the channel itself).
 *
 * @example
 * import { detectDepositMethod, sponsoredOpenKind } from "@micro-raiden/web-client";
 * const kind = sponsoredOpenKind(offer, await detectDepositMethod(client, { token })); // "receive-authorization" on USDC
 */
export function sponsoredOpenKind(
  offer: Pick<SponsorOffer, "kinds">,
  method: DepositMethod,
): SponsoredOpenKind | undefined {
  if (method === "eip3009" && offer.kinds.includes("receive-authorization")) return "receive-authorization";
  // An EIP-3009 token (USDC) has a permit too.
  if ((method === "eip3009" || method === "permit") && offer.kinds.includes("permit")) return "permit";
  return undefined;
}
