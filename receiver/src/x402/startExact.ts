import type { Address, PublicClient } from "viem";
import type { ReceiverWalletClient } from "../chain/serialWalletClient.ts";
import type { ReceiverStoreLocation } from "../store/openReceiverStore.ts";
import type { ReceiverExact } from "./ExactFacilitator.ts";
import { openExactLedger } from "./exactLedger.ts";
import { httpFacilitator } from "./httpFacilitator.ts";
import { localFacilitator } from "./localFacilitator.ts";
import { readExactDomain } from "./readExactDomain.ts";

export type ExactOptions = {
  /**
   * An x402 facilitator's base URL (`POST <url>/verify`, `POST <url>/settle`) that settles `exact` payments instead
   * of the receiver.
   */
  facilitatorUrl?: string | undefined;
  /** Headers for the facilitator (its API key). */
  facilitatorHeaders?: Record<string, string> | undefined;
  /** How long an x402 client's authorization is valid for, in seconds: the `exact` entry's maxTimeoutSeconds (default 120). */
  maxTimeoutSeconds?: number | undefined;
};

/**
 * The receiver's `exact` scheme, or undefined when its token has no EIP-3009 (then its 402s offer only channels).
 * Its ledger lives where the receiver's state does.
 */
export async function startExact(
  options: ExactOptions & {
    token: Address;
    publicClient: PublicClient;
    walletClient: ReceiverWalletClient;
    store: ReceiverStoreLocation;
    confirmations?: number | undefined;
    pollingInterval?: number | undefined;
  },
): Promise<ReceiverExact | undefined> {
  const maxTimeoutSeconds = options.maxTimeoutSeconds ?? 120;
  if (!Number.isSafeInteger(maxTimeoutSeconds) || maxTimeoutSeconds < 30) {
    throw new Error("exact.maxTimeoutSeconds must be a whole number of seconds, at least 30.");
  }
  if (options.facilitatorUrl !== undefined && !/^https?:\/\//.test(options.facilitatorUrl)) {
    throw new Error("exact.facilitatorUrl must be an http:// or https:// URL.");
  }
  const domain = await readExactDomain(options.publicClient, options.token);
  if (!domain) return undefined;
  const facilitator = options.facilitatorUrl
    ? httpFacilitator({ url: options.facilitatorUrl, headers: options.facilitatorHeaders })
    : localFacilitator({
        publicClient: options.publicClient,
        walletClient: options.walletClient,
        domain,
        confirmations: options.confirmations,
        pollingInterval: options.pollingInterval,
      });
  const ledger = await openExactLedger(options.store);
  return { offer: { name: domain.name, version: domain.version, maxTimeoutSeconds }, facilitator, ledger };
}
