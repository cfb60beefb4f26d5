// The script tag's wagmi: the part of `wagmi` the widget uses (injected and EIP-6963 wallets, the connection and its
// events, contract and block reads), with the same behaviour, over the tag's TanStack Query subset. vite.config.ts
// aliases the package to this file in the tag's build only: the React package (`@micro-raiden/widget`) keeps the real
// wagmi, whose config a React app shares with the widget. widget/README.md ("The tag's wagmi and TanStack Query")
// says what is left out.
export {
  ChainNotConfiguredError,
  type Config,
  type Connection,
  ConnectorAlreadyConnectedError,
  type CreateConfigParameters,
  createConfig,
  type State,
} from "./createConfig.ts";
export { type Connector, type InjectedTarget, injected, ProviderNotFoundError } from "./injected.ts";
export { useBlockNumber } from "./useBlockNumber.ts";
export { useChains } from "./useChains.ts";
export { useConnect } from "./useConnect.ts";
export { type UseConnectionReturnType, useConnection } from "./useConnection.ts";
export { useConnectors } from "./useConnectors.ts";
export { type ContractRead, type ContractReadOutcome, useReadContract, useReadContracts } from "./useReadContract.ts";
export { useConfig, WagmiProvider, WagmiProviderNotFoundError } from "./WagmiProvider.tsx";
