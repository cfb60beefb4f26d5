import { createWalletStore } from "./createWalletStore.ts";
import { isProvider } from "./isWalletDetail.ts";
import type { WalletDetail } from "./WalletDetail.ts";

export type DiscoverWalletsParameters = {
  /** How long to listen for announcements, in ms (default 100). */
  timeout?: number | undefined;
};
export type DiscoverWalletsReturnType = WalletDetail[];

/**
 * Finds the browser's wallets once: those that announce themselves through EIP-6963 within `timeout` ms, and
 * `window.ethereum` when no wallet announced itself (older wallets). Each provider appears once. To also catch
 * wallets that announce later, subscribe to `createWalletStore()` instead.
 *
 * @example
 * import { createChannelClient, discoverWallets } from "@micro-raiden/web-client";
 * const [wallet] = await discoverWallets();
 * if (wallet) createChannelClient({ provider: wallet.provider });
 */
export async function discoverWallets({
  timeout = 100,
}: DiscoverWalletsParameters = {}): Promise<DiscoverWalletsReturnType> {
  if (typeof window === "undefined") return [];
  const store = createWalletStore();
  await new Promise((resolve) => setTimeout(resolve, timeout));
  const wallets = [...store.getProviders()];
  store.destroy();
  const legacy: unknown = Reflect.get(window, "ethereum");
  if (wallets.length === 0 && isProvider(legacy)) {
    wallets.push({
      info: { uuid: "window.ethereum", name: "Browser wallet", icon: "", rdns: "window.ethereum" },
      provider: legacy,
    });
  }
  return wallets;
}
