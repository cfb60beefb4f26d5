import type { SponsoredOpenKind } from "@micro-raiden/web-client/protocol";
import type { Address, PublicClient } from "viem";
import { readExactDomain } from "../x402/readExactDomain.ts";

/**
 * The sponsored-open requests a receiver takes for its token, as its offer names them: the one-signature
 * `receive-authorization` first when the token has EIP-3009 in a domain its signatures verify in (USDC), then the
 * permit-based one. A failing RPC throws (a missing function is no EIP-3009).
 */
export async function sponsoredOpenKindsOf(publicClient: PublicClient, token: Address): Promise<SponsoredOpenKind[]> {
  return (await readExactDomain(publicClient, token)) ? ["receive-authorization", "permit"] : ["permit"];
}
