// A wallet for tests that behaves like MetaMask, for Vitest browser tests and for pages driven by Playwright:
// an EIP-1193 provider announced through EIP-6963 (and optionally as window.ethereum), no accounts until
// `eth_requestAccounts`, `eth_signTypedData_v4` taking [address, JSON string], `wallet_switchEthereumChain` with
// 4902 for an unknown chain, `wallet_addEthereumChain`, 4001 when the reader rejects, and transactions signed with a
// viem local account and sent to the chain's node. It counts every prompt by method and can reject the next ones, and
// does what a reader does in the wallet's own window: switch accounts, disconnect the site, connect it again.
import {
  type Chain,
  createWalletClient,
  type EIP1193Provider,
  type Hex,
  http,
  numberToHex,
  type TransactionRequest,
} from "viem";
import type { LocalAccount } from "viem/accounts";

/** The methods that open a prompt in MetaMask. */
export const promptMethods = [
  "eth_requestAccounts",
  "eth_signTypedData_v4",
  "personal_sign",
  "eth_sendTransaction",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
] as const;
export type PromptMethod = (typeof promptMethods)[number];

export type CreateTestWalletParameters = {
  account: LocalAccount;
  /** Chains the wallet knows, each with an RPC URL it forwards reads and sends transactions to. */
  chains: readonly Chain[];
  /** The chain the wallet is on at first (default: the first of `chains`). */
  chainId?: number | undefined;
  /** Connected from the start (the site was allowed before): `eth_accounts` answers without a prompt. */
  connected?: boolean | undefined;
  /** EIP-6963 provider info. */
  info?: { name: string; rdns: string } | undefined;
};

export type TestWallet = {
  provider: EIP1193Provider;
  account: LocalAccount;
  /** How many prompts of each method the reader has seen (approved or rejected). */
  prompts: Record<PromptMethod, number>;
  /** The reader rejects the next prompt of `method` (4001), `times` times (default once). */
  rejectNext(method: PromptMethod, times?: number): void;
  /** The wallet's current chain. */
  chainId(): number;
  /** Adds a chain the wallet knows (as if the reader had added it earlier). */
  addChain(chain: Chain): void;
  /** Announces the wallet through EIP-6963 now and whenever a page asks (`eip6963:requestProvider`). */
  announce(target?: Window): () => void;
  /** The reader picks another account in the wallet (`accountsChanged` when the site is connected). */
  switchAccount(account: LocalAccount): void;
  /** The reader disconnects the site in the wallet (`accountsChanged` with no account), or connects it again. */
  setSiteConnected(connected: boolean): void;
};

type Listener = (...args: unknown[]) => void;

class ProviderRpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * A MetaMask-like wallet for one account.
 *
 * @example
 * import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
 * import { createTestWallet } from "./createTestWallet.ts";
 * const wallet = createTestWallet({ account: privateKeyToAccount(generatePrivateKey()), chains: [localChain] });
 * const stop = wallet.announce();
 */
export function createTestWallet(parameters: CreateTestWalletParameters): TestWallet {
  let { account } = parameters;
  const known = new Map(parameters.chains.map((chain) => [chain.id, chain]));
  let chainId = parameters.chainId ?? parameters.chains[0]?.id ?? 1;
  let connected = parameters.connected ?? false;
  const prompts = Object.fromEntries(promptMethods.map((method) => [method, 0])) as Record<PromptMethod, number>;
  const rejections = new Map<string, number>();
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, value: unknown) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(value);
  };
  const currentChain = () => {
    const chain = known.get(chainId);
    if (!chain) throw new ProviderRpcError(4901, `The wallet is on chain ${chainId}, which it cannot reach.`);
    return chain;
  };
  const rpc = async (method: string, params: unknown) => {
    const url = currentChain().rpcUrls.default.http[0];
    if (!url) throw new ProviderRpcError(4901, `No RPC URL for chain ${chainId}.`);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
    });
    const body: { result?: unknown; error?: { code: number; message: string; data?: unknown } } = await response.json();
    if (body.error) throw Object.assign(new ProviderRpcError(body.error.code, body.error.message), body.error);
    return body.result;
  };
  const requireAccount = (address: unknown) => {
    if (!connected) throw new ProviderRpcError(4100, "The site is not connected to this wallet.");
    if (typeof address !== "string" || address.toLowerCase() !== account.address.toLowerCase()) {
      throw new ProviderRpcError(4100, `The wallet holds no account ${String(address)}.`);
    }
  };

  async function request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
    const list = Array.isArray(params) ? params : [];
    if ((promptMethods as readonly string[]).includes(method)) {
      prompts[method as PromptMethod] += 1;
      const left = rejections.get(method) ?? 0;
      if (left > 0) {
        rejections.set(method, left - 1);
        throw new ProviderRpcError(4001, "MetaMask Tx Signature: User denied transaction signature.");
      }
    }
    switch (method) {
      case "eth_requestAccounts":
        if (!connected) {
          connected = true;
          emit("connect", { chainId: numberToHex(chainId) });
          emit("accountsChanged", [account.address]);
        }
        return [account.address];
      case "eth_accounts":
        return connected ? [account.address] : [];
      case "eth_chainId":
        return numberToHex(chainId);
      case "net_version":
        return String(chainId);
      case "wallet_switchEthereumChain": {
        const id = Number((list[0] as { chainId: string }).chainId);
        if (!known.has(id)) throw new ProviderRpcError(4902, `Unrecognized chain ID "${numberToHex(id)}".`);
        if (id !== chainId) {
          chainId = id;
          emit("chainChanged", numberToHex(id));
        }
        return null;
      }
      case "wallet_addEthereumChain": {
        const added = list[0] as { chainId: string; chainName: string; rpcUrls: string[] };
        const id = Number(added.chainId);
        if (!known.has(id)) {
          const url = added.rpcUrls[0];
          if (!url) throw new ProviderRpcError(-32602, "wallet_addEthereumChain needs an RPC URL.");
          known.set(id, {
            id,
            name: added.chainName,
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
            rpcUrls: { default: { http: [url] } },
          });
        }
        if (id !== chainId) {
          chainId = id;
          emit("chainChanged", numberToHex(id));
        }
        return null;
      }
      case "eth_signTypedData_v4": {
        requireAccount(list[0]);
        const typedData = JSON.parse(String(list[1]));
        // MetaMask refuses typed data whose domain names another chain than the selected one.
        if (typedData.domain?.chainId !== undefined && Number(typedData.domain.chainId) !== chainId) {
          throw new ProviderRpcError(
            -32603,
            `Provided chainId "${typedData.domain.chainId}" must match the active chainId "${chainId}"`,
          );
        }
        const { EIP712Domain: _, ...types } = typedData.types;
        return account.signTypedData({ ...typedData, types });
      }
      case "personal_sign": {
        requireAccount(list[1]);
        return account.signMessage({ message: { raw: list[0] as Hex } });
      }
      case "eth_sendTransaction": {
        const transaction = list[0] as Record<string, Hex | undefined>;
        requireAccount(transaction.from);
        const wallet = createWalletClient({ account, chain: currentChain(), transport: http() });
        const request: TransactionRequest = {
          ...(transaction.to ? { to: transaction.to } : {}),
          ...(transaction.data ? { data: transaction.data } : {}),
          ...(transaction.value ? { value: BigInt(transaction.value) } : {}),
          ...(transaction.gas ? { gas: BigInt(transaction.gas) } : {}),
        };
        return wallet.sendTransaction(request);
      }
      default:
        return rpc(method, params);
    }
  }

  const provider = {
    request,
    on(event: string, listener: Listener) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
      return provider;
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  const info = parameters.info ?? { name: "Test Wallet", rdns: "org.micro-raiden.test-wallet" };

  return {
    provider: provider as unknown as EIP1193Provider,
    get account() {
      return account;
    },
    prompts,
    rejectNext(method, times = 1) {
      rejections.set(method, (rejections.get(method) ?? 0) + times);
    },
    chainId: () => chainId,
    addChain(chain) {
      known.set(chain.id, chain);
    },
    switchAccount(next) {
      account = next;
      if (connected) emit("accountsChanged", [account.address]);
    },
    setSiteConnected(next) {
      if (next === connected) return;
      connected = next;
      emit("accountsChanged", connected ? [account.address] : []);
    },
    announce(target = window) {
      const detail = Object.freeze({
        info: {
          uuid: crypto.randomUUID(),
          name: info.name,
          rdns: info.rdns,
          icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E",
        },
        provider,
      });
      const announce = () => target.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
      target.addEventListener("eip6963:requestProvider", announce);
      announce();
      return () => target.removeEventListener("eip6963:requestProvider", announce);
    },
  };
}
