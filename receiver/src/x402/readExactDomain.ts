import {
  eip3009TokenAbi,
  readTokenDomain,
  type TokenDomain,
  tokenAnswered,
  transferWithAuthorizationAbi,
} from "@micro-raiden/web-client/protocol";
import { type Address, domainSeparator, type PublicClient, zeroAddress, zeroHash } from "viem";

/**
 * The EIP-712 domain a token's EIP-3009 authorizations are signed in (`readTokenDomain`), or undefined when the token
 * has no EIP-3009 (`authorizationState`) or that domain does not hash to its `DOMAIN_SEPARATOR()` on this chain: x402
 * clients are never told to sign in a domain their signature would fail in. A failing RPC is not a missing function,
 * so it throws.
 */
export async function readExactDomain(publicClient: PublicClient, token: Address): Promise<TokenDomain | undefined> {
  try {
    const [domain, separator] = await Promise.all([
      readTokenDomain(publicClient, token),
      publicClient.readContract({
        address: token,
        abi: transferWithAuthorizationAbi,
        functionName: "DOMAIN_SEPARATOR",
      }),
      publicClient.readContract({
        address: token,
        abi: eip3009TokenAbi,
        functionName: "authorizationState",
        args: [zeroAddress, zeroHash],
      }),
    ]);
    return domainSeparator({ domain }) === separator ? domain : undefined;
  } catch (error) {
    if (tokenAnswered(error)) return undefined;
    throw error;
  }
}
