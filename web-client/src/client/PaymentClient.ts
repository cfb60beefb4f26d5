import type { balanceProofTypedData, closeRequestTypedData } from "../protocol/index.ts";
import type { ChannelClient } from "./createChannelClient.ts";

/** The typed data a channel's sender signs: a balance proof or a close request. */
export type ChannelTypedData = ReturnType<typeof balanceProofTypedData> | ReturnType<typeof closeRequestTypedData>;

/**
 * What paying from stored channels needs (`fetchWithStoredChannel`, `pay`, `signBalanceProof`): the channel store,
 * the lock, the policy, the fetch, the connection, and a wallet client (a plain viem `Client`) that can sign a
 * channel's typed data (used in wallet mode only). No public client: nothing here reads the chain. Every
 * `ChannelClient` is one; `createPaymentClient` builds one that reaches no chain, for a Service Worker or another
 * place where every kilobyte counts.
 */
export type PaymentClient = Pick<
  ChannelClient,
  "account" | "connection" | "storage" | "lock" | "signing" | "policy" | "fetch" | "chains" | "walletClient"
>;
