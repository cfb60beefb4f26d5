import { type Address, type Client, type GetChainIdErrorType, getAddress, type ReadContractErrorType } from "viem";
import { getChainId, readContract } from "viem/actions";
import { demoTokenAbi, eip3009TokenAbi } from "./abi.ts";
import { tokenAnswered } from "./tokenAnswered.ts";

/**
 * A token's EIP-712 domain: the domain its EIP-2612 permits and EIP-3009 authorizations are signed in (the token's
 * own, not the channel manager's `MicroRaiden` domain). `verifyingContract` is the token's address (USDC's proxy).
 */
export type TokenDomain = {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
};

export type ReadTokenDomainErrorType = ReadContractErrorType | GetChainIdErrorType;

/**
 * Reads a token's EIP-712 domain: from its ERC-5267 `eip712Domain()` when it has one (OpenZeppelin's tokens, the demo
 * token), else from `name()`, `version()`, the chain and the token's address, as USDC builds it (USD Coin, "2"). No
 * prompt and no account needed. Rejects when the token has neither (the token's own revert, or a result that does not
 * decode) and, unchanged, when a read got no answer (the RPC failed).
 *
 * @example
 * import { readTokenDomain } from "@micro-raiden/web-client/protocol";
 * const domain = await readTokenDomain(publicClient, usdc); // { name: "USD Coin", version: "2", chainId, verifyingContract }
 */
export async function readTokenDomain(client: Client, token: Address): Promise<TokenDomain> {
  try {
    const [, name, version, chainId, verifyingContract] = await readContract(client, {
      address: token,
      abi: demoTokenAbi,
      functionName: "eip712Domain",
    });
    return { name, version, chainId: Number(chainId), verifyingContract };
  } catch (error) {
    if (!tokenAnswered(error)) throw error;
  }
  const [name, version, chainId] = await Promise.all([
    readContract(client, { address: token, abi: eip3009TokenAbi, functionName: "name" }),
    readContract(client, { address: token, abi: eip3009TokenAbi, functionName: "version" }),
    getChainId(client),
  ]);
  return { name, version, chainId, verifyingContract: getAddress(token) };
}
