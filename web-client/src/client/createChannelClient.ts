import {
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  type EIP1193Provider,
  getAddress,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { ChannelStorage } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { type ChannelLock, defaultLock } from "./channelLock.ts";

/** How balance proofs are signed: by a session key registered at open (no prompt), or by the wallet each time. */
export type SigningMode = "session" | "wallet";

/** Limits on what the client pays without asking. A 402 beyond them is refused before anything is signed. */
export type SpendingPolicy = {
  /** The most one request may cost, in token base units. */
  maxPrice?: bigint | undefined;
  /** The most all channels to one receiver may have paid in total, in token base units. */
  budgetPerReceiver?: bigint | undefined;
};

/** A configured channel client: mostly configuration, the actions take it as their first argument. */
export type ChannelClient = {
  /** The sender: the account that opens channels and owns their deposits. */
  readonly account: Address;
  readonly publicClient: PublicClient;
  readonly walletClient: WalletClient<Transport, Chain | undefined, Account>;
  readonly storage: ChannelStorage;
  readonly lock: ChannelLock;
  readonly signing: SigningMode;
  readonly policy: SpendingPolicy;
  /** The fetch used for paid requests and the receiver's REST API. */
  readonly fetch: typeof globalThis.fetch;
  /** Chain definitions to offer the wallet when it does not know a chain (`wallet_addEthereumChain`). */
  readonly chains: readonly Chain[];
};

type CommonParameters = {
  storage?: ChannelStorage | undefined;
  lock?: ChannelLock | undefined;
  signing?: SigningMode | undefined;
  policy?: SpendingPolicy | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  chains?: readonly Chain[] | undefined;
};

export type CreateChannelClientParameters =
  | (CommonParameters & {
      /** An EIP-1193 wallet (MetaMask, or one found with `discoverWallets`). Asks it to connect. */
      provider: EIP1193Provider;
    })
  | (CommonParameters & {
      /** A viem account (a private key in Node, for machine clients) and the transport to reach its chain. */
      account: Account;
      transport: Transport;
    });

/**
 * Creates a channel client from a browser wallet or from a viem account.
 *
 * @example
 * // Browser, with MetaMask
 * import { createChannelClient, discoverWallets, indexedDbStorage } from "@micro-raiden/web-client";
 * const [wallet] = await discoverWallets();
 * const client = await createChannelClient({ provider: wallet.provider, storage: indexedDbStorage() });
 *
 * @example
 * // Node, with a private key
 * import { http } from "viem";
 * import { privateKeyToAccount } from "viem/accounts";
 * import { createChannelClient } from "@micro-raiden/web-client";
 * import { fileStorage } from "@micro-raiden/web-client/node";
 * const client = await createChannelClient({
 *   account: privateKeyToAccount(process.env.KEY as `0x${string}`),
 *   transport: http("http://127.0.0.1:8545"),
 *   storage: fileStorage("channels.json"),
 * });
 */
export async function createChannelClient(parameters: CreateChannelClientParameters): Promise<ChannelClient> {
  const common = {
    storage: parameters.storage ?? memoryStorage(),
    lock: parameters.lock ?? defaultLock(),
    signing: parameters.signing ?? "session",
    policy: parameters.policy ?? {},
    fetch: parameters.fetch ?? globalThis.fetch.bind(globalThis),
    chains: parameters.chains ?? [],
  };
  if ("provider" in parameters) {
    const transport = custom(parameters.provider);
    const connecting = createWalletClient({ transport });
    const [address] = await connecting.requestAddresses();
    if (!address) throw new Error("The wallet returned no account.");
    const account = getAddress(address);
    return {
      ...common,
      account,
      publicClient: createPublicClient({ transport }),
      walletClient: createWalletClient({ transport, account }),
    };
  }
  const { account, transport } = parameters;
  return {
    ...common,
    account: account.address,
    publicClient: createPublicClient({ transport }),
    walletClient: createWalletClient({ transport, account }),
  };
}
