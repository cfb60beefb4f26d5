import { useMemo, useSyncExternalStore } from "react";
import type { Address, Chain } from "viem";
import type { State } from "./createConfig.ts";
import type { Connector } from "./injected.ts";
import { useConfig } from "./WagmiProvider.tsx";

export type UseConnectionReturnType = {
  address: Address | undefined;
  addresses: readonly Address[] | undefined;
  chain: Chain | undefined;
  chainId: number | undefined;
  connector: Connector | undefined;
  isConnected: boolean;
  isConnecting: boolean;
  isDisconnected: boolean;
  isReconnecting: boolean;
  status: State["status"];
};

/** wagmi's `useConnection`: the current wallet's account, chain and connector, and the connection's status. */
export function useConnection(): UseConnectionReturnType {
  const config = useConfig();
  const state = useSyncExternalStore(config.subscribe, () => config.state);
  return useMemo(() => {
    const { status } = state;
    const connection = status === "disconnected" ? undefined : state.connections.get(state.current ?? "");
    const address = connection?.accounts[0];
    return {
      address,
      addresses: connection?.accounts,
      chain: config.chains.find((chain) => chain.id === connection?.chainId),
      chainId: connection?.chainId,
      connector: connection?.connector,
      isConnected: status === "connected" || (status === "reconnecting" && Boolean(address)),
      isConnecting: status === "connecting",
      isDisconnected: status === "disconnected",
      isReconnecting: status === "reconnecting",
      status,
    };
  }, [state, config]);
}
