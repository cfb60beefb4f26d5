// The script tag's wagmi subset against wagmi itself, in real Chromium with the MetaMask-like test wallet and the test
// chain: every scenario runs on both and must come out the same, for what the widget relies on (the wallets to
// choose, connecting, reconnecting on the next page, following the wallet's chain and account, rejections, reads).
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import * as tanstack from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type Address, type EIP1193Provider, http, numberToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, describe, expect, it } from "vitest";
import * as wagmi from "wagmi";
import { createWidgetConfig } from "../../provider/createWidgetConfig.ts";
import { createTestWallet } from "../../testing/createTestWallet.ts";
import { reader } from "../../testing/readers.ts";
import { publicTestClient, testChain, testDeployment, tokenBalance } from "../../testing/testEnvironment.ts";
import * as querySubset from "../querySubset/index.ts";
import * as subset from "./index.ts";

/** What a scenario sees of the connection, the same for both libraries. */
type Wallet = {
  address: Address | undefined;
  chainId: number | undefined;
  status: string;
  /** The connectors' ids, in the config's order. */
  wallets: string[];
  connect(id: string): void;
  connecting: boolean;
  error: Error | null;
};

type Reads = { balance: bigint | undefined; details: string[] | undefined; head: bigint | undefined };

type WagmiLibrary = {
  /** A new config as the widget makes its own (the page loads again), its providers around `children`. */
  setup(): (props: { children: ReactNode }) => ReactNode;
  useWallet(): Wallet;
  useReads(reader: Address, noToken: Address): Reads;
};

const detailsOf = (reads: readonly ({ status: "success"; result: unknown } | { status: "failure" })[] | undefined) =>
  reads?.map((read) => (read.status === "success" ? String(read.result) : "failure"));

const token = () => ({ address: testDeployment().token, abi: demoTokenAbi, chainId: testChain().id }) as const;

/** The hooks a library's scenarios use, as one shape for both (each library's own connectors go to its own connect). */
type Library<C extends { id: string }> = {
  useConnection(): { address: Address | undefined; chainId: number | undefined; status: string };
  useConnectors(): readonly C[];
  useConnect(): { mutate(variables: { connector: C }): void; isPending: boolean; error: Error | null };
  useReadContract(parameters: ReturnType<typeof token> & { functionName: "balanceOf"; args: readonly [Address] }): {
    data: bigint | undefined;
  };
  useReadContracts(parameters: {
    contracts: readonly [
      ReturnType<typeof token> & { functionName: "symbol" },
      ReturnType<typeof token> & { functionName: "decimals" },
      ReturnType<typeof token> & { functionName: "symbol" },
    ];
  }): { data: Parameters<typeof detailsOf>[0] };
  useBlockNumber(parameters: { chainId: number }): { data: bigint | undefined };
};

function hooksOf<C extends { id: string }>(library: Library<C>): Pick<WagmiLibrary, "useWallet" | "useReads"> {
  return {
    useWallet() {
      const { address, chainId, status } = library.useConnection();
      const connectors = library.useConnectors();
      const { mutate, isPending, error } = library.useConnect();
      return {
        address,
        chainId,
        status,
        wallets: connectors.map((connector) => connector.id),
        connect(id) {
          const connector = connectors.find((c) => c.id === id);
          if (connector) mutate({ connector });
        },
        connecting: isPending,
        error,
      };
    },
    useReads(owner, noToken) {
      const balance = library.useReadContract({ ...token(), functionName: "balanceOf", args: [owner] });
      const details = library.useReadContracts({
        contracts: [
          { ...token(), functionName: "symbol" },
          { ...token(), functionName: "decimals" },
          { ...token(), address: noToken, functionName: "symbol" },
        ],
      });
      const head = library.useBlockNumber({ chainId: testChain().id });
      return { balance: balance.data, details: detailsOf(details.data), head: head.data };
    },
  };
}

const libraries: [string, WagmiLibrary][] = [
  [
    "wagmi",
    {
      setup() {
        const config = createWidgetConfig([testChain()]);
        const client = new tanstack.QueryClient();
        return ({ children }) => (
          <wagmi.WagmiProvider config={config}>
            <tanstack.QueryClientProvider client={client}>{children}</tanstack.QueryClientProvider>
          </wagmi.WagmiProvider>
        );
      },
      ...hooksOf<wagmi.Connector>(wagmi),
    },
  ],
  [
    "the script tag's subset",
    {
      setup() {
        const chain = testChain();
        const config = subset.createConfig({
          chains: [chain],
          connectors: [subset.injected()],
          multiInjectedProviderDiscovery: true,
          transports: { [chain.id]: http() },
        });
        const client = new querySubset.QueryClient();
        return ({ children }) => (
          <subset.WagmiProvider config={config}>
            <querySubset.QueryClientProvider client={client}>{children}</querySubset.QueryClientProvider>
          </subset.WagmiProvider>
        );
      },
      ...hooksOf<subset.Connector>(subset),
    },
  ],
];

const testWalletId = "org.micro-raiden.test-wallet";

// wagmi's marks (the wallet connected last, a disconnected wallet) are per origin: each scenario starts without any.
afterEach(() => localStorage.clear());

describe.each(libraries)("%s", (_, library) => {
  /** Renders the library's connection for a page of its own; `statuses` is every status it showed, in order. */
  function page() {
    const statuses: string[] = [];
    const rendered = renderHook(
      () => {
        const wallet = library.useWallet();
        if (statuses.at(-1) !== wallet.status) statuses.push(wallet.status);
        return wallet;
      },
      { wrapper: library.setup() },
    );
    return { ...rendered, statuses };
  }

  it("lists an announced wallet after the generic injected one, connects it with one prompt, and reconnects it on the next page without one", async () => {
    const wallet = await reader();
    const first = page();
    await waitFor(() => expect(first.result.current.status).toBe("disconnected"));
    expect(first.result.current.wallets).toEqual(["injected", testWalletId]);
    act(() => first.result.current.connect(testWalletId));
    await waitFor(() => expect(first.result.current.status).toBe("connected"));
    expect(first.result.current.address).toBe(wallet.account.address);
    expect(first.result.current.chainId).toBe(testChain().id);
    expect(first.statuses).toEqual(["connecting", "disconnected", "connecting", "connected"]);
    first.unmount();

    const next = page();
    await waitFor(() => expect(next.result.current.status).toBe("connected"));
    expect(next.result.current.address).toBe(wallet.account.address);
    expect(next.statuses).toEqual(["connecting", "connected"]);
    expect(wallet.prompts.eth_requestAccounts).toBe(1);
    next.unmount();

    // A React app of the same origin disconnected it (wagmi's mark): the next page does not reconnect it.
    localStorage.setItem(`wagmi.${testWalletId}.disconnected`, "true");
    const after = page();
    await waitFor(() => expect(after.result.current.status).toBe("disconnected"));
    expect(after.statuses).toEqual(["connecting", "disconnected"]);
  });

  it("follows the wallet: another chain, another account, the site disconnected and connected again in the wallet", async () => {
    const wallet = await reader();
    const { result } = page();
    await waitFor(() => expect(result.current.status).toBe("disconnected"));
    act(() => result.current.connect(testWalletId));
    await waitFor(() => expect(result.current.status).toBe("connected"));

    const other = { ...testChain(), id: testChain().id + 1, name: "Another chain" };
    wallet.addChain(other);
    await act(() =>
      wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(other.id) }] }),
    );
    await waitFor(() => expect(result.current.chainId).toBe(other.id));

    const second = privateKeyToAccount(generatePrivateKey());
    act(() => wallet.switchAccount(second));
    await waitFor(() => expect(result.current.address).toBe(second.address));

    act(() => wallet.setSiteConnected(false));
    await waitFor(() => expect(result.current.status).toBe("disconnected"));
    expect(result.current.address).toBeUndefined();
    act(() => wallet.setSiteConnected(true));
    await waitFor(() => expect(result.current.status).toBe("connected"));
    expect(result.current.address).toBe(second.address);
    expect(result.current.chainId).toBe(other.id);
  });

  it("says so when the reader rejects the prompt, and stays disconnected", async () => {
    const wallet = await reader();
    const { result } = page();
    await waitFor(() => expect(result.current.status).toBe("disconnected"));
    wallet.rejectNext("eth_requestAccounts");
    act(() => result.current.connect(testWalletId));
    await waitFor(() => expect(result.current.error?.name).toBe("UserRejectedRequestError"));
    expect(result.current.connecting).toBe(false);
    expect(result.current.status).toBe("disconnected");
  });

  it("connects a wallet that is only window.ethereum as 'injected', and reconnects it on the next page only once it was connected", async () => {
    // The site was allowed before, but not through wagmi's generic injected connector.
    const wallet = createTestWallet({
      account: privateKeyToAccount(generatePrivateKey()),
      chains: [testChain()],
      connected: true,
    });
    Reflect.set(window, "ethereum", wallet.provider);
    const first = page();
    await waitFor(() => expect(first.result.current.status).toBe("disconnected"));
    expect(first.result.current.wallets).toEqual(["injected"]);
    act(() => first.result.current.connect("injected"));
    await waitFor(() => expect(first.result.current.status).toBe("connected"));
    expect(first.result.current.address).toBe(wallet.account.address);
    first.unmount();

    const next = page();
    await waitFor(() => expect(next.result.current.status).toBe("connected"));
    expect(next.statuses).toEqual(["connecting", "connected"]);
  });

  it("adds a wallet that announces itself after the page started", async () => {
    const { result } = page();
    await waitFor(() => expect(result.current.status).toBe("disconnected"));
    expect(result.current.wallets).toEqual(["injected"]);
    await act(() => reader());
    await waitFor(() => expect(result.current.wallets).toEqual(["injected", testWalletId]));
  });

  it("reads a contract, several at once (one failing alone), and the block number over the config's transport", async () => {
    const wallet = await reader();
    const head = await publicTestClient().getBlockNumber();
    const balance = await tokenBalance(wallet.account.address);
    const { result } = renderHook(() => library.useReads(wallet.account.address, testDeployment().channelManager), {
      wrapper: library.setup(),
    });
    await waitFor(() => expect(result.current.balance).toBe(balance));
    await waitFor(() => expect(result.current.details).toEqual(["TKN", "18", "failure"]));
    await waitFor(() => expect(result.current.head).toBeGreaterThanOrEqual(head));
  });
});

/** A wallet whose events carry whatever it likes, sent as eventemitter3 does (a listener that throws stops the rest). */
function bareWallet() {
  const listeners = new Map<string, ((value?: unknown) => void)[]>();
  const provider = {
    request: async ({ method }: { method: string }) => (method === "eth_chainId" ? numberToHex(testChain().id) : []),
    on(event: string, listener: (value?: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return provider;
    },
    removeListener(event: string, listener: (value?: unknown) => void) {
      listeners.set(
        event,
        (listeners.get(event) ?? []).filter((x) => x !== listener),
      );
      return provider;
    },
    listening: (event: string) => listeners.get(event)?.length ?? 0,
    emit(event: string, ...values: unknown[]) {
      for (const listener of listeners.get(event) ?? []) listener(...values);
    },
  };
  return provider;
}

const configs: [string, (target: { id: string; name: string; provider: EIP1193Provider }) => { status(): string }][] = [
  [
    "wagmi",
    (target) => {
      const config = wagmi.createConfig({
        chains: [testChain()],
        connectors: [wagmi.injected({ target })],
        multiInjectedProviderDiscovery: false,
        transports: { [testChain().id]: http() },
      });
      return { status: () => config.state.status };
    },
  ],
  [
    "the script tag's subset",
    (target) => {
      const config = subset.createConfig({
        chains: [testChain()],
        connectors: [subset.injected({ target })],
        multiInjectedProviderDiscovery: false,
        transports: { [testChain().id]: http() },
      });
      return { status: () => config.state.status };
    },
  ],
];

describe.each(configs)("%s", (_, createConfig) => {
  it("takes a wallet's `connect` event that carries nothing without throwing into the wallet (its other listeners still hear it)", async () => {
    const wallet = bareWallet();
    const config = createConfig({
      id: "org.example.bare",
      name: "Bare",
      provider: wallet as unknown as EIP1193Provider,
    });
    // The connector follows an announced wallet's events from the start (once it has its provider).
    await waitFor(() => expect(wallet.listening("connect")).toBe(1));
    let heard = 0;
    wallet.on("connect", () => {
      heard += 1;
    });
    for (const info of [undefined, null, "0x1"]) expect(() => wallet.emit("connect", info)).not.toThrow();
    expect(heard).toBe(3);
    expect(config.status()).toBe("disconnected");
  });
});
