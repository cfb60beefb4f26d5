import type { EIP1193Provider } from "viem";

/** A wallet announced through EIP-6963 (or the legacy `window.ethereum`). */
export type WalletDetail = {
  info: { uuid: string; name: string; icon: string; rdns: string };
  provider: EIP1193Provider;
};

type AnnounceEvent = Event & { detail?: unknown };

/** Anything with an EIP-1193 `request` method: what wallets inject. */
function isProvider(value: unknown): value is EIP1193Provider {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "request") === "function";
}

function isWalletDetail(value: unknown): value is WalletDetail {
  if (typeof value !== "object" || value === null) return false;
  const info: unknown = Reflect.get(value, "info");
  return (
    typeof info === "object" &&
    info !== null &&
    typeof Reflect.get(info, "uuid") === "string" &&
    typeof Reflect.get(info, "rdns") === "string" &&
    typeof Reflect.get(info, "name") === "string" &&
    isProvider(Reflect.get(value, "provider"))
  );
}

/**
 * Finds the browser's wallets: those that announce themselves through EIP-6963 within `timeout` ms, and
 * `window.ethereum` when no wallet announced itself (older wallets). Each provider appears once.
 *
 * @example
 * import { createChannelClient, discoverWallets } from "@micro-raiden/web-client";
 * const [wallet] = await discoverWallets();
 * if (wallet) await createChannelClient({ provider: wallet.provider });
 */
export async function discoverWallets({ timeout = 100 }: { timeout?: number } = {}): Promise<WalletDetail[]> {
  if (typeof window === "undefined") return [];
  const found = new Map<string, WalletDetail>();
  const onAnnounce = (event: AnnounceEvent) => {
    if (isWalletDetail(event.detail) && !found.has(event.detail.info.uuid))
      found.set(event.detail.info.uuid, event.detail);
  };
  window.addEventListener("eip6963:announceProvider", onAnnounce);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((resolve) => setTimeout(resolve, timeout));
  window.removeEventListener("eip6963:announceProvider", onAnnounce);
  const wallets = [...found.values()];
  const legacy: unknown = Reflect.get(window, "ethereum");
  if (wallets.length === 0 && isProvider(legacy)) {
    wallets.push({
      info: { uuid: "window.ethereum", name: "Browser wallet", icon: "", rdns: "window.ethereum" },
      provider: legacy,
    });
  }
  return wallets;
}
