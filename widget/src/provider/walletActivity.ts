import { type EIP1193Provider, type Hash, isHash } from "viem";

/** What the wallet is doing for the widget right now: a prompt the reader has open, the last transaction sent. */
export type WalletActivity = { prompt: string | undefined; transaction: Hash | undefined };

/** Methods that open a prompt in the wallet; while one is pending the widget says "confirm in your wallet". */
const promptMethods = new Set([
  "eth_requestAccounts",
  "eth_signTypedData_v4",
  "personal_sign",
  "eth_sendTransaction",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
]);

export type WalletActivityStore = {
  getSnapshot(): WalletActivity;
  subscribe(listener: () => void): () => void;
  /** Forgets the last transaction (a new step starts). */
  reset(): void;
  /**
   * The wallet with its prompts and transactions reported here. The web-client's actions wait for receipts
   * themselves; this is how the panel can show the pending transaction meanwhile without changing them.
   */
  observe(provider: EIP1193Provider): EIP1193Provider;
};

export function createWalletActivityStore(): WalletActivityStore {
  let state: WalletActivity = { prompt: undefined, transaction: undefined };
  const listeners = new Set<() => void>();
  const set = (next: Partial<WalletActivity>) => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener();
  };
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reset: () => set({ prompt: undefined, transaction: undefined }),
    observe(provider) {
      const request = async (args: { method: string; params?: unknown }, options?: unknown) => {
        const prompting = promptMethods.has(args.method);
        if (prompting) set({ prompt: args.method });
        try {
          const result: unknown = await Reflect.apply(provider.request, provider, [args, options]);
          if (args.method === "eth_sendTransaction" && typeof result === "string" && isHash(result))
            set({ transaction: result });
          return result;
        } finally {
          if (prompting) set({ prompt: undefined });
        }
      };
      // A proxy keeps everything else of the wallet (events, EIP-1193 extras) exactly as it is.
      return new Proxy(provider, {
        get: (target, property) => (property === "request" ? request : Reflect.get(target, property, target)),
      });
    },
  };
}
