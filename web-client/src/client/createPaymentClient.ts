import { createClient, type EIP1193RequestFn, type LocalAccount, numberToHex, type Transport } from "viem";
import type { ChannelLock } from "../locks/ChannelLock.ts";
import { defaultLock } from "../locks/defaultLock.ts";
import type { ChannelStorage } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { connectionStore } from "./connectionStore.ts";
import type { SigningMode, SpendingPolicy } from "./createChannelClient.ts";
import type { PaymentClient } from "./PaymentClient.ts";

export type CreatePaymentClientParameters = {
  /** Whose channels pay: a viem local account (it signs by itself; its signature is used in wallet mode only). */
  account: LocalAccount;
  /** The chain the account signs for; a proof for a channel on another chain is refused (WrongChainError). */
  chainId: number;
  storage?: ChannelStorage | undefined;
  lock?: ChannelLock | undefined;
  signing?: SigningMode | undefined;
  policy?: SpendingPolicy | undefined;
  fetch?: typeof globalThis.fetch | undefined;
};
export type CreatePaymentClientReturnType = PaymentClient;

/**
 * Creates a client that pays from stored channels (`fetchWithStoredChannel`, `pay`, `signBalanceProof`) and never
 * reaches a chain: its wallet client is a viem `Client` whose transport answers only `eth_chainId` (with `chainId`)
 * and has no RPC behind it, so it weighs a fraction of a `ChannelClient`. Meant for a Service Worker, which signs
 * the next balance proof with a channel's session key and leaves opening, topping up and waiting for the chain to the
 * page. The account is connected from the start, on `chainId`.
 *
 * @example
 * import { createPaymentClient, fetchWithStoredChannel, indexedDbStorage } from "@micro-raiden/web-client";
 * import { privateKeyToAccount } from "viem/accounts";
 * const client = createPaymentClient({ account: privateKeyToAccount(key), chainId: 31337, storage: indexedDbStorage() });
 * const response = await fetchWithStoredChannel(client, { input: "https://receiver.example/articles/1" });
 */
export function createPaymentClient(parameters: CreatePaymentClientParameters): CreatePaymentClientReturnType {
  const { account, chainId } = parameters;
  return {
    account,
    connection: connectionStore({ status: "connected", address: account.address, chainId }, () => () => {}),
    storage: parameters.storage ?? memoryStorage(),
    lock: parameters.lock ?? defaultLock(),
    signing: parameters.signing ?? "session",
    policy: parameters.policy ?? {},
    fetch: parameters.fetch ?? globalThis.fetch.bind(globalThis),
    chains: [],
    // A local account signs by itself (viem's signTypedData action asks no one), so the client needs no chain.
    walletClient: createClient({ account, transport: chainless(chainId) }),
  };
}

/**
 * A transport that answers `eth_chainId` with `chainId` and refuses every other request. Written out rather than
 * through viem's `custom`, whose request wrapper (retries, deduplication, every RPC error class) would weigh on a
 * Service Worker more than all this client's actions.
 */
function chainless(chainId: number): Transport {
  const request = (async ({ method }: { method: string }) => {
    if (method === "eth_chainId") return numberToHex(chainId);
    throw new Error(`A payment client does not reach a chain or a wallet (${method}).`);
  }) as EIP1193RequestFn;
  return () => ({
    config: { key: "chainless", name: "No chain", request, retryCount: 0, type: "chainless" },
    request,
  });
}
