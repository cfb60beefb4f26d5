import { createContext, type ReactNode, useContext, useRef } from "react";
import type { Config } from "./createConfig.ts";

const WagmiContext = createContext<Config | undefined>(undefined);

/**
 * Hands `config` to the hooks below and, as wagmi's provider does while it renders a config for the first time,
 * reconnects the wallets that allow this site already (so the first render says "connecting", not "disconnected").
 */
export function WagmiProvider({ config, children }: { config: Config; children?: ReactNode }): ReactNode {
  const reconnected = useRef<Config>(undefined);
  if (reconnected.current !== config) {
    reconnected.current = config;
    void config.reconnect();
  }
  return <WagmiContext value={config}>{children}</WagmiContext>;
}

export class WagmiProviderNotFoundError extends Error {
  override name = "WagmiProviderNotFoundError";
  constructor() {
    super("`useConfig` must be used within `WagmiProvider`.");
  }
}

/** The config of the nearest WagmiProvider. */
export function useConfig(): Config {
  const config = useContext(WagmiContext);
  if (!config) throw new WagmiProviderNotFoundError();
  return config;
}
