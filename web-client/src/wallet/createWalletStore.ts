import { isWalletDetail } from "./isWalletDetail.ts";
import type { WalletDetail } from "./WalletDetail.ts";

/** The wallets announced so far, kept up to date: the shape of wagmi's `mipd` store. */
export type WalletStore = {
  /** Every wallet announced so far, each once (a new array after each change, the same one otherwise). */
  getProviders(): readonly WalletDetail[];
  /** The wallet with this reverse-DNS id (`io.metamask`), if announced. */
  findProvider(parameters: { rdns: string }): WalletDetail | undefined;
  /**
   * Calls `listener` whenever a wallet announces itself, including late ones (an extension that loads after the
   * page); with `emitImmediately`, once at once too. Returns `unsubscribe`.
   */
  subscribe(
    listener: (wallets: readonly WalletDetail[]) => void,
    options?: { emitImmediately?: boolean | undefined },
  ): () => void;
  /** Forgets the wallets and asks them to announce themselves again. */
  reset(): void;
  /** Stops listening for announcements and drops every listener. */
  destroy(): void;
};

/**
 * Listens for EIP-6963 wallet announcements for as long as the page lives, so a wallet that announces itself late
 * is still found (a one-shot `discoverWallets` would miss it). Outside a browser it stays empty.
 *
 * @example
 * import { createWalletStore } from "@micro-raiden/web-client";
 * const wallets = createWalletStore();
 * const unsubscribe = wallets.subscribe((list) => render(list), { emitImmediately: true });
 */
export function createWalletStore(): WalletStore {
  let wallets: readonly WalletDetail[] = [];
  const listeners = new Set<(wallets: readonly WalletDetail[]) => void>();
  const target = typeof window === "undefined" ? undefined : window;
  const onAnnounce = (event: Event) => {
    const detail: unknown = Reflect.get(event, "detail");
    if (!isWalletDetail(detail) || wallets.some((wallet) => wallet.info.uuid === detail.info.uuid)) return;
    wallets = [...wallets, detail];
    for (const listener of [...listeners]) listener(wallets);
  };
  target?.addEventListener("eip6963:announceProvider", onAnnounce);
  target?.dispatchEvent(new Event("eip6963:requestProvider"));
  return {
    getProviders: () => wallets,
    findProvider: ({ rdns }) => wallets.find((wallet) => wallet.info.rdns === rdns),
    subscribe(listener, options) {
      listeners.add(listener);
      if (options?.emitImmediately) listener(wallets);
      return () => listeners.delete(listener);
    },
    reset() {
      wallets = [];
      for (const listener of [...listeners]) listener(wallets);
      target?.dispatchEvent(new Event("eip6963:requestProvider"));
    },
    destroy() {
      listeners.clear();
      wallets = [];
      target?.removeEventListener("eip6963:announceProvider", onAnnounce);
    },
  };
}
