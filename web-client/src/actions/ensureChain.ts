import {
  type AddChainErrorType,
  type Chain,
  defineChain,
  type GetChainIdErrorType,
  type SwitchChainErrorType,
  type UserRejectedRequestErrorType,
} from "viem";
import { addChain, getChainId, switchChain } from "viem/actions";
import type { PaymentClient } from "../client/PaymentClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { WrongChainError, type WrongChainErrorType } from "../errors/WrongChainError.ts";

export type EnsureChainParameters = { chainId: number };
export type EnsureChainReturnType = Chain;
/** A switch the reader rejected is switchChain's own error (code 4001); any other failed switch is WrongChainError. */
export type EnsureChainErrorType =
  | WrongChainErrorType
  | UserRejectedRequestErrorType
  | GetChainIdErrorType
  | SwitchChainErrorType
  | AddChainErrorType
  | ErrorType;

/**
 * Makes sure the wallet is on `chainId`: asks it to switch, and to add the chain first when it does not know it
 * (with the definition from `client.chains`). Returns the chain to pass to transactions, so viem checks it again
 * right before sending. A client with a private key cannot switch: WrongChainError.
 *
 * @example
 * import { ensureChain } from "@micro-raiden/web-client";
 * const chain = await ensureChain(client, { chainId: 31337 });
 */
export async function ensureChain(
  client: PaymentClient,
  { chainId }: EnsureChainParameters,
): Promise<EnsureChainReturnType> {
  const known = client.chains.find((chain) => chain.id === chainId);
  const chain =
    known ??
    defineChain({
      id: chainId,
      name: `Chain ${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [] } },
    });
  const current = await getChainId(client.walletClient);
  if (current === chainId) return chain;
  if (client.account) throw new WrongChainError({ expected: chainId, actual: current });
  try {
    await switchChain(client.walletClient, { id: chainId });
  } catch (error) {
    // Told apart by their EIP-1193 codes (viem's UserRejectedRequestError is 4001, its SwitchChainError 4902), not
    // by class: importing viem's RPC error classes would weigh on every bundle that signs (a Service Worker's too).
    if (hasCode(error, 4001)) throw error;
    // 4902: the wallet does not know the chain. Add it (which also switches), if we know how to describe it.
    const unknownChain = hasCode(error, 4902);
    if (!unknownChain || !known) throw new WrongChainError({ expected: chainId, actual: current, cause: error });
    await addChain(client.walletClient, { chain: known });
  }
  const now = await getChainId(client.walletClient);
  if (now !== chainId) throw new WrongChainError({ expected: chainId, actual: now });
  return chain;
}

function hasCode(error: unknown, code: number): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ("code" in e && e.code === code) return true;
  }
  return false;
}
