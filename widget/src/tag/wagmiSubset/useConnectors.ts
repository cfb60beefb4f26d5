import { useSyncExternalStore } from "react";
import type { Connector } from "./injected.ts";
import { useConfig } from "./WagmiProvider.tsx";

/** wagmi's `useConnectors`: the wallets to connect, with every EIP-6963 wallet that announces itself later. */
export function useConnectors(): readonly Connector[] {
  const config = useConfig();
  return useSyncExternalStore(config.subscribe, () => config.connectors);
}
