import { type Chain, http } from "viem";
import { hardhat, sepolia } from "viem/chains";
import { type Config, createConfig, injected } from "wagmi";

// Annotated: the declaration build cannot name the inferred type (it reaches into viem's internal chain types).
/** The chains the widget knows without being told: the local demo chain and Sepolia (no `allChains`: size). */
export const defaultChains: readonly [typeof hardhat, typeof sepolia] = [hardhat, sepolia];

/**
 * The widget's own wagmi config when the host app has none: EIP-6963 wallet discovery plus the generic injected
 * wallet (shown only when no wallet announces itself), an HTTP transport per chain for reading the token.
 */
export function createWidgetConfig(chains: readonly [Chain, ...Chain[]] = defaultChains): Config {
  return createConfig({
    chains,
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: Object.fromEntries(chains.map((chain) => [chain.id, http()])),
  });
}
