import { isAddressEqual, type LocalAccount } from "viem";
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
 * reaches a chain: no transport, no RPC, none of viem's public or wallet clients, so it weighs a fraction of a
 * `ChannelClient`. Meant for a Service Worker, which signs the next balance proof with a channel's session key and
 * leaves opening, topping up and waiting for the chain to the page. The account is connected from the start, on
 * `chainId`.
 *
 * @example
 * import { createPaymentClient, fetchWithStoredChannel, indexedDbStorage } from "@micro-raiden/web-client";
 * import { privateKeyToAccount } from "viem/accounts";
 * const client = createPaymentClient({ account: privateKeyToAccount(key), chainId: 31337, storage: indexedDbStorage() });
 * const response = await fetchWithStoredChannel(client, { input: "https://receiver.example/articles/1" });
 */
export function createPaymentClient(parameters: CreatePaymentClientParameters): CreatePaymentClientReturnType {
  const { account, chainId } = parameters;
  const noChain = (method: string) => () =>
    Promise.reject(new Error(`A payment client does not reach a chain or a wallet (${method}).`));
  return {
    account,
    connection: connectionStore({ status: "connected", address: account.address, chainId }, () => () => {}),
    storage: parameters.storage ?? memoryStorage(),
    lock: parameters.lock ?? defaultLock(),
    signing: parameters.signing ?? "session",
    policy: parameters.policy ?? {},
    fetch: parameters.fetch ?? globalThis.fetch.bind(globalThis),
    chains: [],
    walletClient: {
      getChainId: () => Promise.resolve(chainId),
      // A local account signs by itself: no viem client, no request. Only this account signs here.
      async signTypedData({ account: signer, ...typedData }) {
        if (!isAddressEqual(signer.address, account.address)) {
          throw new Error(`A payment client signs for ${account.address} only, not ${signer.address}.`);
        }
        return account.signTypedData(typedData);
      },
      switchChain: noChain("wallet_switchEthereumChain"),
      addChain: noChain("wallet_addEthereumChain"),
      request: noChain("request"),
    },
  };
}
