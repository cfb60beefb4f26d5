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

/**
 * A token's EIP-712 domain, as its ERC-5267 `eip712Domain()` reports it: the domain a permit is signed in (the
 * token's own, not the channel manager's `MicroRaiden` domain). `verifyingContract` is the token's address.
 */
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
 * (`createChannelWithPermit`, `topUpWithPermit`, and the sponsored `openOnBehalf`). `domain` is the token's, read
 * from its `eip712Domain()` (the demo token's is `{ name: "Demo Token", version: "1", chainId, verifyingContract:
 * token }`); `spender` is the channel manager and `nonce` the token's `nonces(owner)`.
 *
 * @example
 * import { readContract } from "viem/actions";
 * import { demoTokenAbi, permitTypedData } from "@micro-raiden/web-client/protocol";
 * const [, name, version, chainId, verifyingContract] = await readContract(publicClient, {
 *   address: token, abi: demoTokenAbi, functionName: "eip712Domain",
 * });
 * const nonce = await readContract(publicClient, { address: token, abi: demoTokenAbi, functionName: "nonces", args: [owner] });
 * const signature = await account.signTypedData(
 *   permitTypedData(
 *     { name, version, chainId: Number(chainId), verifyingContract },
 *     { owner, spender: manager, value: 10n ** 18n, nonce, deadline },
 *   ),
 * );
 */
export function permitTypedData(domain: TokenDomain, message: PermitMessage) {
  return { domain, types: permitTypes, primaryType: "Permit", message } as const;
}
