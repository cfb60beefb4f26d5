import {
  type Address,
  type EIP1193Provider,
  getAddress,
  ResourceUnavailableRpcError,
  UserRejectedRequestError,
  withRetry,
} from "viem";
import { storage } from "./storage.ts";

/** What a connector reports to its config (wagmi's connector emitter): the config decides what each changes. */
export type ConnectorContext = {
  uid: string;
  /** Whether the config holds a connection of this connector. */
  connected(): boolean;
  connect(data: { accounts: readonly Address[]; chainId: number }): void;
  change(data: { accounts?: readonly Address[]; chainId?: number }): void;
  disconnect(): void;
};

/** wagmi's injected connector, as far as the widget uses it (the wallets of `useConnectors`). */
export type Connector = {
  readonly id: string;
  readonly name: string;
  readonly icon?: string | undefined;
  readonly type: "injected";
  readonly uid: string;
  /** Asks the wallet for its accounts (a prompt), or, reconnecting, takes those it already allows. */
  connect(parameters?: { isReconnecting?: boolean }): Promise<{ accounts: readonly Address[]; chainId: number }>;
  getProvider(): Promise<EIP1193Provider | undefined>;
  /** Whether the wallet allows this site already (and the reader did not disconnect it in the app). */
  isAuthorized(): Promise<boolean>;
};

export type CreateConnectorFn = (context: ConnectorContext) => Connector;

/** An EIP-6963 wallet: its `rdns` is the connector's id. */
export type InjectedTarget = { id: string; name: string; icon?: string | undefined; provider: EIP1193Provider };

export class ProviderNotFoundError extends Error {
  override name = "ProviderNotFoundError";
  constructor() {
    super("Provider not found.");
  }
}

type RpcErrorLike = Error & { code?: number };

/**
 * wagmi's `injected` connector: `window.ethereum` (id "injected", connected again on a later page only when it was
 * the wallet connected last time), or with `target` one wallet that announced itself through EIP-6963. It follows
 * the wallet's accountsChanged, chainChanged, connect and disconnect events as wagmi does.
 */
export function injected(parameters: { target?: InjectedTarget | undefined } = {}): CreateConnectorFn {
  const { target } = parameters;
  const id = target?.id ?? "injected";
  return (context) => {
    const getProvider = async (): Promise<EIP1193Provider | undefined> =>
      target?.provider ?? (typeof window === "undefined" ? undefined : Reflect.get(window, "ethereum"));
    const provider = async () => {
      const found = await getProvider();
      if (!found) throw new ProviderNotFoundError();
      return found;
    };
    const getAccounts = async () =>
      ((await (await provider()).request({ method: "eth_accounts" })) as string[]).map((x) => getAddress(x));
    const getChainId = async () => Number(await (await provider()).request({ method: "eth_chainId" }));

    const onConnect = async (info: { chainId: string | number }) => {
      const accounts = await getAccounts();
      if (accounts.length > 0) context.connect({ accounts, chainId: Number(info.chainId) });
    };
    const onDisconnect = async (error?: RpcErrorLike) => {
      if (!context.connected()) return;
      // MetaMask's 1013: it is reconnecting to its node, the site stays connected.
      if (error?.code === 1013 && (await getAccounts()).length > 0) return;
      context.disconnect();
    };
    const onAccountsChanged = async (accounts: string[]) => {
      if (accounts.length === 0) await onDisconnect();
      else if (!context.connected()) {
        // Connected in the wallet's own window while the page was not.
        await onConnect({ chainId: await getChainId() });
        storage.removeItem(`${id}.disconnected`);
      } else context.change({ accounts: accounts.map((x) => getAddress(x)) });
    };
    let listening = false;
    const listen = async () => {
      const found = await getProvider();
      if (!found || listening) return;
      listening = true;
      found.on("accountsChanged", (accounts) => void onAccountsChanged(accounts));
      found.on("chainChanged", (chainId) => {
        if (context.connected()) context.change({ chainId: Number(chainId) });
      });
      found.on("connect", (info) => {
        if (!context.connected()) void onConnect(info);
      });
      found.on("disconnect", (error) => void onDisconnect(error));
    };
    // A wallet that announced itself is followed at once; the generic one only once connected (as wagmi: otherwise
    // it would answer for the announced wallet behind the same window.ethereum).
    if (target) void listen();

    return {
      id,
      name: target?.name ?? "Injected",
      icon: target?.icon,
      type: "injected",
      uid: context.uid,
      getProvider,
      async connect({ isReconnecting } = {}) {
        const wallet = await provider();
        let accounts: Address[] = [];
        if (isReconnecting) accounts = await getAccounts().catch(() => []);
        else {
          // As wagmi: MetaMask then lets the reader choose the accounts again; wallets without it are asked below.
          try {
            const permissions = (await wallet.request({
              method: "wallet_requestPermissions",
              params: [{ eth_accounts: {} }],
            })) as { caveats?: { value?: string[] }[] }[];
            if (permissions[0]?.caveats?.[0]?.value?.length) accounts = await getAccounts();
          } catch (caught) {
            const error = caught as RpcErrorLike;
            if (error.code === UserRejectedRequestError.code) throw new UserRejectedRequestError(error);
            if (error.code === ResourceUnavailableRpcError.code) throw error;
          }
        }
        try {
          if (accounts.length === 0 && !isReconnecting) {
            const requested = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
            accounts = requested.map((x) => getAddress(x));
          }
          await listen();
          const chainId = await getChainId();
          storage.removeItem(`${id}.disconnected`);
          if (!target) storage.setItem("injected.connected", true);
          return { accounts, chainId };
        } catch (caught) {
          const error = caught as RpcErrorLike;
          if (error.code === UserRejectedRequestError.code) throw new UserRejectedRequestError(error);
          if (error.code === ResourceUnavailableRpcError.code) throw new ResourceUnavailableRpcError(error);
          throw error;
        }
      },
      async isAuthorized() {
        try {
          if (storage.getItem(`${id}.disconnected`)) return false;
          if (!target && !storage.getItem("injected.connected")) return false;
          await provider();
          // Some wallets (MetaMask) fail to answer at once while the page loads: a few tries, as wagmi.
          return (await withRetry(getAccounts)).length > 0;
        } catch {
          return false;
        }
      },
    };
  };
}
