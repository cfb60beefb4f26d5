import {
  type ChannelClient,
  type ChannelStorage,
  createChannelClient,
  indexedDbStorage,
  reconnect,
  type SigningMode,
  type SpendingPolicy,
} from "@micro-raiden/web-client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Address, Chain, EIP1193Provider } from "viem";
import { type Config, useConfig, useConnection, WagmiProvider } from "wagmi";
import { catalogs, chooseLocale, type Locale } from "../i18n/catalogs.ts";
import { revokePaymentWorker } from "../navigation/revokePaymentWorker.ts";
import { createWidgetConfig, defaultChains } from "./createWidgetConfig.ts";
import { WidgetContext, type WidgetContextValue } from "./WidgetContext.ts";
import { createWalletActivityStore, type WalletActivityStore } from "./walletActivity.ts";

export type MicroRaidenProviderProps = {
  children: ReactNode;
  /** The host app's wagmi config. Without it the widget makes its own (EIP-6963 wallets, `chains`). */
  config?: Config | undefined;
  /** Chains for the widget's own config (default: the local Hardhat chain and Sepolia). */
  chains?: readonly [Chain, ...Chain[]] | undefined;
  /** The host app's TanStack Query client, if it has one. */
  queryClient?: QueryClient | undefined;
  /** The language; by default the browser's (English or German). */
  locale?: Locale | undefined;
  /** How the reader pays by default: "session" (automatically, up to the deposit) or "wallet" (confirm each). */
  signing?: SigningMode | undefined;
  /** Blocks the site waits for before a new channel counts, to show as progress ("confirmations 1 / 2"). */
  confirmations?: number | undefined;
  /** Where channels are kept (default IndexedDB, shared with the paid-navigation Service Worker). */
  storage?: ChannelStorage | undefined;
  /**
   * What is paid without a prompt. `maxPrice`: the most a page is paid automatically (default: the price of the
   * page where the reader opens the channel; shown in the deposit form). `maxPaymentsPerMinute`: automatic payments
   * a minute (default 30). `budgetPerReceiver`: the most paid to the site in all. Anything beyond asks the reader.
   */
  policy?: SpendingPolicy | undefined;
};

/** Automatic payments a minute when the site does not say: more than anyone reads, fewer than a script would pay. */
export const defaultPaymentsPerMinute = 30;

/**
 * Puts the µRaiden widget on a React tree: wagmi (the host's config or its own), TanStack Query, the channel
 * client over the connected wallet (IndexedDB storage and Web Locks, so other tabs and the Service Worker see the
 * same channels), and the reader's language.
 *
 * @example
 * import { MicroRaidenProvider, Paywall } from "@micro-raiden/widget";
 * <MicroRaidenProvider>
 *   <Paywall requirements={requirements} url="/articles/1" />
 * </MicroRaidenProvider>
 */
export function MicroRaidenProvider(props: MicroRaidenProviderProps): ReactNode {
  const { chains } = props;
  const config = useMemo(() => props.config ?? createWidgetConfig(chains ?? defaultChains), [props.config, chains]);
  const queryClient = useMemo(() => props.queryClient ?? new QueryClient(), [props.queryClient]);
  return (
    <WagmiProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <ChannelClientHost {...props} />
      </QueryClientProvider>
    </WagmiProvider>
  );
}

function ChannelClientHost(props: MicroRaidenProviderProps): ReactNode {
  const config = useConfig();
  const { connector, status, address } = useConnection();
  usePaymentWorkerRevokedOnAccountChange(status, address);
  const storage = useMemo(() => props.storage ?? indexedDbStorage(), [props.storage]);
  const activity = useMemo<WalletActivityStore>(() => createWalletActivityStore(), []);
  const signing = props.signing ?? "session";
  const [client, setClient] = useState<ChannelClient>();
  // By value: a policy written inline is a new object on every render, and a new client would drop the page's state.
  const { maxPrice, budgetPerReceiver, maxPaymentsPerMinute } = props.policy ?? {};
  const policy = useMemo<WidgetContextValue["policy"]>(
    () => ({ maxPrice, budgetPerReceiver, maxPaymentsPerMinute: maxPaymentsPerMinute ?? defaultPaymentsPerMinute }),
    [maxPrice, budgetPerReceiver, maxPaymentsPerMinute],
  );

  // A failed start (the wallet did not answer) is said, with a retry: never a paywall stuck on "loading".
  const [clientError, setClientError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const retryClient = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry's only way in.
  useEffect(() => {
    setClientError(undefined);
    if (!connector || status !== "connected") {
      setClient(undefined);
      return;
    }
    let current = true;
    connector
      .getProvider()
      .then(async (provider) => {
        if (!isEip1193Provider(provider)) throw new Error("The connected wallet has no EIP-1193 provider.");
        // The same wallet wagmi connected, so the reader is never asked twice; reconnect asks nothing.
        const next = createChannelClient({
          provider: activity.observe(provider),
          storage,
          signing,
          policy,
          chains: config.chains,
        });
        await reconnect(next);
        if (current) setClient(next);
      })
      .catch((error: unknown) => {
        if (current) setClientError(error);
      });
    return () => {
      current = false;
    };
  }, [connector, status, storage, signing, policy, activity, config.chains, attempt]);

  const locale = chooseLocale(props.locale);
  const value = useMemo<WidgetContextValue>(
    () => ({
      client,
      clientError,
      retryClient,
      storage,
      locale,
      messages: catalogs[locale],
      signing,
      policy,
      confirmations: props.confirmations,
      activity,
    }),
    [client, clientError, retryClient, storage, locale, signing, policy, props.confirmations, activity],
  );
  return <WidgetContext value={value}>{props.children}</WidgetContext>;
}

/**
 * A reader who disconnects or switches to another account in the wallet has stopped paying from the account they
 * were on: the payment worker forgets its grants (in every tab), so no link followed afterwards is paid from the old
 * channel's session key. Only a change from an account this page saw connected counts: a page that loads while the
 * wallet reconnects passes through "disconnected" first and must not revoke what the previous page granted.
 */
function usePaymentWorkerRevokedOnAccountChange(status: string, address: Address | undefined): void {
  const connected = useRef<Address | undefined>(undefined);
  useEffect(() => {
    const previous = connected.current;
    if (status === "connected") connected.current = address;
    else if (status === "disconnected") connected.current = undefined;
    else return; // connecting or reconnecting: nothing decided yet
    if (previous !== undefined && previous !== connected.current) void revokePaymentWorker().catch(() => false);
  }, [status, address]);
}

function isEip1193Provider(value: unknown): value is EIP1193Provider {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof Reflect.get(value, "request") === "function" &&
    typeof Reflect.get(value, "on") === "function"
  );
}
