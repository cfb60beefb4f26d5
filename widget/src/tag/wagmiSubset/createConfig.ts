import { type Address, type Chain, type Client, createClient, type EIP1193Provider, type Transport } from "viem";
import { type Connector, type CreateConnectorFn, injected } from "./injected.ts";
import { storage } from "./storage.ts";

export type Connection = { accounts: readonly Address[]; chainId: number; connector: Connector };

export type State = {
  connections: Map<string, Connection>;
  /** The uid of the connector `useConnection` reports. */
  current: string | null;
  status: "connected" | "connecting" | "disconnected" | "reconnecting";
};

export type CreateConfigParameters = {
  chains: readonly [Chain, ...Chain[]];
  connectors?: readonly CreateConnectorFn[] | undefined;
  /** Every wallet that announces itself through EIP-6963 becomes a connector (default true). */
  multiInjectedProviderDiscovery?: boolean | undefined;
  transports: Record<number, Transport>;
};

/** wagmi's config, as far as the widget uses it: chains, wallets and the connection, and a client per chain to read. */
export type Config = {
  readonly chains: readonly [Chain, ...Chain[]];
  readonly connectors: readonly Connector[];
  readonly state: State;
  subscribe(listener: () => void): () => void;
  /** A viem client over the chain's transport (throws for a chain the config does not have). */
  getClient(parameters: { chainId: number }): Client;
  /** wagmi's `connect` action: the reader chose `connector`. */
  connect(connector: Connector): Promise<{ accounts: readonly Address[]; chainId: number }>;
  /** wagmi's `reconnect` action: connects the wallets that allow this site already, without a prompt. */
  reconnect(): Promise<void>;
};

export class ChainNotConfiguredError extends Error {
  override name = "ChainNotConfiguredError";
  constructor() {
    super("Chain not configured.");
  }
}

export class ConnectorAlreadyConnectedError extends Error {
  override name = "ConnectorAlreadyConnectedError";
  constructor() {
    super("Connector already connected.");
  }
}

/** An EIP-6963 announcement: any script on the page may send one, so every field is checked. */
type AnnounceEvent = Event & {
  detail?: { info?: { name?: unknown; icon?: unknown; rdns?: unknown }; provider?: unknown };
};

const isProvider = (value: unknown): value is EIP1193Provider =>
  typeof Reflect.get(Object(value), "request") === "function" && typeof Reflect.get(Object(value), "on") === "function";

let uids = 0;

/**
 * wagmi's `createConfig` for the script tag: the chains and their transports, the given connectors and one per
 * EIP-6963 wallet (those announced before and after), the connection state as wagmi keeps it (a wallet's account,
 * chain and disconnect events change it), and its `connect` and `reconnect` actions.
 */
export function createConfig(parameters: CreateConfigParameters): Config {
  const { chains, transports } = parameters;
  let state: State = { connections: new Map(), current: null, status: "disconnected" };
  const listeners = new Set<() => void>();
  const setState = (update: (state: State) => Partial<State>) => {
    state = { ...state, ...update(state) };
    for (const listener of [...listeners]) listener();
  };
  let connectors: Connector[] = [];

  const setup = (create: CreateConnectorFn): Connector => {
    const uid = `${++uids}`;
    return create({
      uid,
      connected: () => state.connections.has(uid),
      connect(data) {
        // A wallet that connects on its own while the page connects or reconnects is left to that.
        if (state.status === "connecting" || state.status === "reconnecting") return;
        const connector = connectors.find((x) => x.uid === uid);
        if (!connector) return;
        setState((x) => ({
          connections: new Map(x.connections).set(uid, { ...data, connector }),
          current: uid,
          status: "connected",
        }));
      },
      change(data) {
        const connection = state.connections.get(uid);
        if (!connection) return;
        setState((x) => ({
          connections: new Map(x.connections).set(uid, {
            accounts: data.accounts ?? connection.accounts,
            chainId: data.chainId ?? connection.chainId,
            connector: connection.connector,
          }),
        }));
      },
      disconnect() {
        setState((x) => {
          const connections = new Map(x.connections);
          connections.delete(uid);
          const next = connections.values().next().value;
          return next
            ? { connections, current: next.connector.uid }
            : { connections, current: null, status: "disconnected" };
        });
      },
    });
  };
  connectors = (parameters.connectors ?? []).map(setup);

  if (typeof window !== "undefined" && parameters.multiInjectedProviderDiscovery !== false) {
    window.addEventListener("eip6963:announceProvider", (event: AnnounceEvent) => {
      const { info, provider } = event.detail ?? {};
      const { rdns, name, icon } = info ?? {};
      if (typeof rdns !== "string" || !rdns || typeof name !== "string" || !isProvider(provider)) return;
      if (connectors.some((x) => x.id === rdns)) return;
      const target = { id: rdns, name, icon: typeof icon === "string" ? icon : undefined, provider };
      connectors = [...connectors, setup(injected({ target }))];
      setState(() => ({}));
    });
    window.dispatchEvent(new Event("eip6963:requestProvider"));
  }

  const clients = new Map<number, Client>();
  let reconnecting = false;

  return {
    chains,
    get connectors() {
      return connectors;
    },
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getClient({ chainId }) {
      const chain = chains.find((x) => x.id === chainId);
      const transport = transports[chainId];
      if (!chain || !transport) throw new ChainNotConfiguredError();
      const client = clients.get(chainId) ?? createClient({ chain, transport });
      clients.set(chainId, client);
      return client;
    },
    async connect(connector) {
      if (connector.uid === state.current) throw new ConnectorAlreadyConnectedError();
      try {
        setState(() => ({ status: "connecting" }));
        const data = await connector.connect();
        storage.setItem("recentConnectorId", connector.id);
        setState((x) => ({
          connections: new Map(x.connections).set(connector.uid, { ...data, connector }),
          current: connector.uid,
          status: "connected",
        }));
        return data;
      } catch (error) {
        setState((x) => ({ status: x.current ? "connected" : "disconnected" }));
        throw error;
      }
    },
    async reconnect() {
      if (reconnecting) return;
      reconnecting = true;
      setState((x) => ({ status: x.current ? "reconnecting" : "connecting" }));
      // The wallet connected last comes first: it is the one `useConnection` reports.
      const recent = storage.getItem("recentConnectorId");
      const sorted = [...connectors].sort((a, b) => Number(b.id === recent) - Number(a.id === recent));
      const providers: EIP1193Provider[] = [];
      let connected = false;
      for (const connector of sorted) {
        const provider = await connector.getProvider().catch(() => undefined);
        // One connection per wallet: the generic injected wallet is often an announced wallet again.
        if (!provider || providers.includes(provider) || !(await connector.isAuthorized())) continue;
        const data = await connector.connect({ isReconnecting: true }).catch(() => null);
        if (!data) continue;
        setState((x) => ({
          connections: new Map(connected ? x.connections : []).set(connector.uid, { ...data, connector }),
          current: connected ? x.current : connector.uid,
        }));
        providers.push(provider);
        connected = true;
      }
      // Unless the reader connected meanwhile (a Connect click while this ran).
      if (state.status === "reconnecting" || state.status === "connecting") {
        setState(() =>
          connected ? { status: "connected" } : { connections: new Map(), current: null, status: "disconnected" },
        );
      }
      reconnecting = false;
    },
  };
}
