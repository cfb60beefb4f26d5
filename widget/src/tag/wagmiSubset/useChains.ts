import type { Chain } from "viem";
import { useConfig } from "./WagmiProvider.tsx";

/** wagmi's `useChains`: the config's chains. */
export function useChains(): readonly [Chain, ...Chain[]] {
  return useConfig().chains;
}
