import type { Address } from "viem";

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

/** A token's EIP-712 domain, as its ERC-5267 `eip712Domain()` reports it. */
export type TokenDomain = {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
};

export type PermitMessage = {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
};

/**
 * The typed data of an EIP-2612 permit, used to open or top up a channel in one transaction
 * (`createChannelWithPermit`, `topUpWithPermit`).
 *
 * @example
 * import { permitTypedData } from "@micro-raiden/web-client/protocol";
 * const signature = await account.signTypedData(
 *   permitTypedData(
 *     { name: "Demo Token", version: "1", chainId: 31337, verifyingContract: token },
 *     { owner, spender: manager, value: 10n ** 18n, nonce: 0n, deadline },
 *   ),
 * );
 */
export function permitTypedData(domain: TokenDomain, message: PermitMessage) {
  return { domain, types: permitTypes, primaryType: "Permit", message } as const;
}
