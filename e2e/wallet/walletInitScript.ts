// The page half of the e2e wallet, as an init script (it runs before any page script, like an extension's content
// script): an EIP-1193 provider exposed as `window.ethereum` and announced through EIP-6963. It holds no key and no
// state; every request goes to the test process through the `__e2eWallet` binding (see E2eWallet), which answers
// with a result or a provider error and the events the wallet emits.

/** Name and rdns the wallet announces (the paywall's connect button says "Connect <name>"). */
export const walletInfo = { name: "E2E Wallet", rdns: "org.micro-raiden.e2e-wallet" } as const;

export const walletBinding = "__e2eWallet";
export const walletEmitter = "__e2eWalletEmit";

export const walletInitScript = `(() => {
  const call = window[${JSON.stringify(walletBinding)}];
  if (typeof call !== "function") return;
  const listeners = new Map();
  const emit = (event, value) => { for (const listener of [...(listeners.get(event) ?? [])]) listener(value); };
  const provider = {
    isMetaMask: true,
    async request({ method, params }) {
      const answer = await call(method, JSON.stringify(params ?? []));
      for (const [event, value] of answer.events ?? []) emit(event, value);
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(event, listener) { listeners.set(event, (listeners.get(event) ?? new Set()).add(listener)); return provider; },
    removeListener(event, listener) { listeners.get(event)?.delete(listener); return provider; },
  };
  Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
  // What the wallet does on its own (the reader disconnects the site in it): E2eWallet emits through this.
  Object.defineProperty(window, ${JSON.stringify(walletEmitter)}, { value: emit });
  const detail = Object.freeze({
    info: Object.freeze({
      uuid: crypto.randomUUID(),
      name: ${JSON.stringify(walletInfo.name)},
      rdns: ${JSON.stringify(walletInfo.rdns)},
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E",
    }),
    provider,
  });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
