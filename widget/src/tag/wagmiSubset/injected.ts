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

/** A wallet's list of accounts, checked (an EIP-1193 answer is wire input): checksummed, or an error. */
function accountsOf(answer: unknown): Address[] {
  if (!Array.isArray(answer)) throw new Error("The wallet answered with no list of accounts.");
  return answer.map((account) => getAddress(String(account)));
}

/** A chain id as wallets send it (hex or decimal), or undefined when it is none. */
function chainIdOf(answer: unknown): number | undefined {
  const id = Number(answer);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

const codeOf = (error: unknown): unknown => Reflect.get(Object(error), "code");

/** A wallet's refusal as viem's error for its EIP-1193 code (4001: the reader said no; -32002: a prompt is open). */
function walletError(caught: unknown): unknown {
  const cause = caught instanceof Error ? caught : new Error(String(caught));
  if (codeOf(caught) === UserRejectedRequestError.code) return new UserRejectedRequestError(cause);
  if (codeOf(caught) === ResourceUnavailableRpcError.code) return new ResourceUnavailableRpcError(cause);
  return caught;
}

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
    const getAccounts = async () => accountsOf(await (await provider()).request({ method: "eth_accounts" }));
    const getChainId = async () => {
      const chainId = chainIdOf(await (await provider()).request({ method: "eth_chainId" }));
      if (chainId === undefined) throw new Error("The wallet answered with no chain id.");
      return chainId;
    };

    const onConnect = async (chainId: number | undefined) => {
      const accounts = await getAccounts();
      if (accounts.length > 0 && chainId !== undefined) context.connect({ accounts, chainId });
    };
    const onDisconnect = async (error?: unknown) => {
      if (!context.connected()) return;
      // MetaMask's 1013: it is reconnecting to its node, the site stays connected.
      if (codeOf(error) === 1013 && (await getAccounts()).length > 0) return;
      context.disconnect();
    };
    const onAccountsChanged = async (answer: unknown) => {
      const accounts = accountsOf(answer);
      if (accounts.length === 0) await onDisconnect();
      else if (!context.connected()) {
        // Connected in the wallet's own window while the page was not.
        await onConnect(await getChainId());
        storage.removeItem(`${id}.disconnected`);
      } else context.change({ accounts });
    };
    let listening = false;
    const listen = async () => {
      const found = await getProvider();
      if (!found || listening) return;
      listening = true;
      // A wallet's event that makes no sense changes nothing.
      const ignore = () => {};
      found.on("accountsChanged", (accounts) => void onAccountsChanged(accounts).catch(ignore));
      found.on("chainChanged", (chain) => {
        const chainId = chainIdOf(chain);
        if (context.connected() && chainId !== undefined) context.change({ chainId });
      });
      found.on("connect", (info: unknown) => {
        if (!context.connected()) void onConnect(chainIdOf(Reflect.get(Object(info), "chainId"))).catch(ignore);
      });
      found.on("disconnect", (error) => void onDisconnect(error).catch(ignore));
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
            const permissions: unknown = await wallet.request({
              method: "wallet_requestPermissions",
              params: [{ eth_accounts: {} }],
            });
            const caveats: unknown = Array.isArray(permissions) ? Reflect.get(Object(permissions[0]), "caveats") : [];
            const permitted: unknown = Array.isArray(caveats) ? Reflect.get(Object(caveats[0]), "value") : [];
            if (Array.isArray(permitted) && permitted.length > 0) accounts = await getAccounts();
          } catch (caught) {
            // Only a refusal or a prompt already open stops here: wallets without the method are asked below.
            if (walletError(caught) !== caught) throw walletError(caught);
          }
        }
        try {
          if (accounts.length === 0 && !isReconnecting)
            accounts = accountsOf(await wallet.request({ method: "eth_requestAccounts" }));
          await listen();
          const chainId = await getChainId();
          storage.removeItem(`${id}.disconnected`);
          if (!target) storage.setItem("injected.connected", true);
          return { accounts, chainId };
        } catch (caught) {
          throw walletError(caught);
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
