import {
  type Account,
  type Address,
  type Chain,
  type Client,
  createClient,
  custom,
  type EIP1193Provider,
  type Transport,
} from "viem";
import type { ChannelLock } from "../locks/ChannelLock.ts";
import { defaultLock } from "../locks/defaultLock.ts";
import type { ChannelStorage } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import type { ConnectionStore } from "./Connection.ts";
import { connectionStore } from "./connectionStore.ts";
import { selectedAccount } from "./selectedAccount.ts";
import { walletChainId } from "./walletChainId.ts";

/** How balance proofs are signed: by a session key registered at open (no prompt), or by the wallet each time. */
export type SigningMode = "session" | "wallet";

/**
 * Limits on what the client pays without asking. A 402 beyond them is refused before anything is signed, unless the
 * reader approved that price for that request (`approvedPrice`).
 */
export type SpendingPolicy = {
  /** The most one request may cost, in token base units. */
  maxPrice?: bigint | undefined;
  /** The most all channels to one receiver may have paid in total, in token base units. */
  budgetPerReceiver?: bigint | undefined;
  /**
   * The most automatic payments a minute for channels opened from now on (their `autoPay.perMinute`; the widget
   * opens with 30 unless told otherwise).
   */
  maxPaymentsPerMinute?: number | undefined;
};

/**
 * A configured channel client: mostly configuration, the actions take it as their first argument.
 *
 * `publicClient` and `walletClient` are plain viem clients (`createClient`: transport, account, no actions bound),
 * so a bundle carries only the viem actions it calls. Call viem's actions on them, as the web-client does:
 * `readContract(client.publicClient, { … })` and `writeContract(client.walletClient, { … })` from `viem/actions`.
 */
export type ChannelClient = {
  /** Reads the chain, through the wallet's provider or the transport given. */
  readonly publicClient: Client<Transport, Chain | undefined>;
  /** Sends transactions and signs; the account is chosen per call (the connection's, or `account`). */
  readonly walletClient: Client<Transport, Chain | undefined, Account | undefined>;
  /** The browser wallet, when the client was created with one. */
  readonly provider: EIP1193Provider | undefined;
  /** The account, when the client was created with one (a private key: machine clients). */
  readonly account: Account | undefined;
  /** The wallet's current account and chain; read it with `getConnection`, follow it with `watchConnection`. */
  readonly connection: ConnectionStore;
  readonly storage: ChannelStorage;
  readonly lock: ChannelLock;
  readonly signing: SigningMode;
  readonly policy: SpendingPolicy;
  /** The fetch used for paid requests and the receiver's REST API. */
  readonly fetch: typeof globalThis.fetch;
  /** Chain definitions to offer the wallet when it does not know a chain (`wallet_addEthereumChain`). */
  readonly chains: readonly Chain[];
  /** Channel managers deposited into without checking their code (`verifyChannelManager`): the app vouches for them. */
  readonly trustedManagers: readonly Address[];
};

type CommonParameters = {
  storage?: ChannelStorage | undefined;
  lock?: ChannelLock | undefined;
  signing?: SigningMode | undefined;
  policy?: SpendingPolicy | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  chains?: readonly Chain[] | undefined;
  /**
   * Managers to deposit into without checking that their code is our ChannelManager's (say, your own fork). Every
   * other manager a 402 names is checked before the first deposit, and refused when it is not genuine.
   */
  trustedManagers?: readonly Address[] | undefined;
};

export type CreateChannelClientParameters =
  | (CommonParameters & {
      /** An EIP-1193 wallet (MetaMask, or one found with `discoverWallets`). Nothing is asked until `connect`. */
      provider: EIP1193Provider;
    })
  | (CommonParameters & {
      /** A viem account (a private key in Node, for machine clients) and the transport to reach its chain. */
      account: Account;
      transport: Transport;
    });

export type CreateChannelClientReturnType = ChannelClient;

/**
 * Creates a channel client from a browser wallet or from a viem account. Synchronous and silent: a browser wallet
 * is asked for its accounts only by `connect` (or, without a prompt, `reconnect`).
 *
 * @example
 * // Browser, with MetaMask
 * import { connect, createChannelClient, discoverWallets, indexedDbStorage } from "@micro-raiden/web-client";
 * const [wallet] = await discoverWallets();
 * const client = createChannelClient({ provider: wallet.provider, storage: indexedDbStorage() });
 * await connect(client); // the wallet's prompt
 *
 * @example
 * // Node, with a private key
 * import { http } from "viem";
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createChannelClient } from "@micro-raiden/web-client";
 * import { fileStorage } from "@micro-raiden/web-client/node";
 * const client = createChannelClient({
 *   account: privateKeyToAccount(process.env.KEY as `0x${string}`),
 *   transport: http("http://127.0.0.1:8545"),
 *   storage: fileStorage("channels.json"),
 * });
 */
export function createChannelClient(parameters: CreateChannelClientParameters): CreateChannelClientReturnType {
  const common = {
    storage: parameters.storage ?? memoryStorage(),
    lock: parameters.lock ?? defaultLock(),
    signing: parameters.signing ?? "session",
    policy: parameters.policy ?? {},
    fetch: parameters.fetch ?? globalThis.fetch.bind(globalThis),
    chains: parameters.chains ?? [],
    trustedManagers: parameters.trustedManagers ?? [],
  };
  if ("provider" in parameters) {
    const { provider } = parameters;
    const transport = custom(provider);
    return {
      ...common,
      provider,
      account: undefined,
      connection: walletConnection(provider),
      publicClient: createClient({ transport }),
      walletClient: createClient({ transport }),
    };
  }
  const { account, transport } = parameters;
  return {
    ...common,
    provider: undefined,
    account,
    connection: connectionStore({ status: "connected", address: account.address, chainId: undefined }, () => () => {}),
    publicClient: createClient({ transport }),
    walletClient: createClient({ transport, account }),
  };
}

/** A browser wallet's connection: disconnected until `connect`, then it follows the wallet's own events. */
function walletConnection(provider: EIP1193Provider): ConnectionStore {
  return connectionStore({ status: "disconnected", address: undefined, chainId: undefined }, (store) => {
    const onAccounts = (accounts: unknown) => {
      const address = selectedAccount(accounts);
      const { chainId } = store.getState();
      store.setState(
        address ? { status: "connected", address, chainId } : { status: "disconnected", address: undefined, chainId },
      );
    };
    const onChain = (chainId: unknown) => {
      const state = store.getState();
      store.setState({ ...state, chainId: walletChainId(chainId) });
    };
    const onDisconnect = () => store.setState({ status: "disconnected", address: undefined, chainId: undefined });
    provider.on("accountsChanged", onAccounts);
    provider.on("chainChanged", onChain);
    provider.on("disconnect", onDisconnect);
    return () => {
      provider.removeListener("accountsChanged", onAccounts);
      provider.removeListener("chainChanged", onChain);
      provider.removeListener("disconnect", onDisconnect);
    };
  });
}
