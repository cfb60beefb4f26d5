import type { Address } from "viem";
import type { TokenDomain } from "./tokenDomain.ts";

/** EIP-2612 `Permit` type: what a token holder signs to let the channel manager pull a deposit. */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export type PermitMessage = {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
};

/**
 * The typed data of an EIP-2612 permit, used to open or top up a channel in one transaction
 * (`createChannelWithPermit`, `topUpWithPermit`, and the sponsored `openOnBehalf`). `domain` is the token's
 * (`readTokenDomain`: the demo token's is `{ name: "Demo Token", version: "1", chainId, verifyingContract: token }`,
 * USDC's `{ name: "USD Coin", version: "2", … }`); `spender` is the channel manager and `nonce` the token's
 * `nonces(owner)`.
 *
 * @example
 * import { readContract } from "viem/actions";
 * import { demoTokenAbi, permitTypedData, readTokenDomain } from "@micro-raiden/web-client/protocol";
 * const nonce = await readContract(publicClient, { address: token, abi: demoTokenAbi, functionName: "nonces", args: [owner] });
 * const signature = await account.signTypedData(
 *   permitTypedData(await readTokenDomain(publicClient, token), { owner, spender: manager, value: 10n ** 18n, nonce, deadline }),
 * );
 */
export function permitTypedData(domain: TokenDomain, message: PermitMessage) {
  return { domain, types: permitTypes, primaryType: "Permit", message } as const;
}
