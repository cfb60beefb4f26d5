// Browser entry for the paid-navigation tests, served by the test receiver as its paywall script: it gives the page
// the shared MetaMask-like test wallet, a channel client over it on the pages' IndexedDB storage, and the
// navigation module, as `window.navigationTest`. Navigating replaces the page, so outcomes go to sessionStorage.
import { createChannelClient, indexedDbStorage, parseStoredChannel, reconnect } from "@micro-raiden/web-client";
import { type Address, defineChain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { askPaymentWorker } from "../navigation/askPaymentWorker.ts";
import { navigatePaid, registerPaymentWorker, revokePaymentWorker } from "../navigation/index.ts";
import { createTestWallet } from "../testing/createTestWallet.ts";

export type NavigationTestOptions = {
  privateKey: Hex;
  rpcUrl: string;
  chainId: number;
  /** `serializeChannel` output of the reader's channel, written to the page's channel storage first. */
  channel: unknown;
  signing: "session" | "wallet";
  /** budgetPerReceiver, decimal. */
  budget?: string | undefined;
  url: string;
};

/** Stores the channel, connects the wallet (already allowed: no prompt) and starts `navigatePaid`. */
async function payAndNavigate(options: NavigationTestOptions): Promise<void> {
  const chain = defineChain({
    id: options.chainId,
    name: "Local test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  });
  const wallet = createTestWallet({
    account: privateKeyToAccount(options.privateKey),
    chains: [chain],
    connected: true,
  });
  const storage = indexedDbStorage();
  const channel = parseStoredChannel(options.channel);
  await storage.put(channel);
  const client = createChannelClient({
    provider: wallet.provider,
    storage,
    signing: options.signing,
    policy: options.budget === undefined ? {} : { budgetPerReceiver: BigInt(options.budget) },
  });
  await reconnect(client);
  const record = (key: string, value: string) => sessionStorage.setItem(`navigationTest:${key}`, value);
  try {
    // Recorded before navigatePaid navigates: the prompts this navigation needed, and how it went.
    const how = await navigatePaid(options.url, {
      client,
      channel,
      location: {
        get href() {
          return location.href;
        },
        assign: (url: string | URL) => {
          record("prompts", JSON.stringify(wallet.prompts));
          location.assign(url);
        },
        reload: () => {
          record("prompts", JSON.stringify(wallet.prompts));
          location.reload();
        },
      },
    });
    record("how", how);
  } catch (error) {
    record("error", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

/**
 * Registers the payment worker and grants it payments to `receiver` (another site's receiver, as a reader of both
 * would): the worker then holds a grant, but none for this page's receiver. Whether the worker took it.
 */
async function grantOtherReceiver(grant: { chainId: number; contract: Address; receiver: Address; sender: Address }) {
  const worker = (await registerPaymentWorker())?.active;
  if (!worker) return false;
  return (await askPaymentWorker(worker, { type: "grant", grant: { ...grant, policy: {} } }))?.ok === true;
}

Object.assign(window, {
  navigationTest: {
    payAndNavigate,
    registerPaymentWorker,
    revokePaymentWorker,
    grantOtherReceiver,
  },
});
