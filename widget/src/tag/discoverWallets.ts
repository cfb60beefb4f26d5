/** A wallet the reader may connect: its wagmi connector id (EIP-6963's `rdns`, or "injected") and its name. */
export type DiscoveredWallet = { id: string; name: string };

type AnnounceEvent = Event & { detail?: { info?: { rdns?: unknown; name?: unknown } } };

/**
 * The wallets the widget would list, found the way wagmi finds them but without it: those that announce themselves
 * through EIP-6963 (they answer the request at once, and announce again when they load later), else the generic
 * injected wallet when `window.ethereum` exists. `onChange` gets the list again whenever a wallet announces itself.
 */
export function discoverWallets(onChange: (wallets: DiscoveredWallet[]) => void): DiscoveredWallet[] {
  const announced: DiscoveredWallet[] = [];
  const current = () =>
    announced.length > 0
      ? [...announced]
      : Reflect.get(window, "ethereum") !== undefined
        ? [{ id: "injected", name: "Injected" }]
        : [];
  window.addEventListener("eip6963:announceProvider", (event: AnnounceEvent) => {
    const info = event.detail?.info;
    if (typeof info?.rdns !== "string" || typeof info.name !== "string") return;
    if (announced.some((wallet) => wallet.id === info.rdns)) return;
    announced.push({ id: info.rdns, name: info.name });
    onChange(current());
  });
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  return current();
}
