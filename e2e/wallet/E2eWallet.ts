// The test-process half of the e2e wallet: a MetaMask-like wallet for one account. It answers the page's EIP-1193
// requests (walletInitScript forwards them): no accounts until `eth_requestAccounts` (MetaMask remembers a
// connected site per origin, across reloads), `eth_signTypedData_v4` with MetaMask's `[address, JSON string]`
// params, chain switch with 4902 for a chain it does not know and `wallet_addEthereumChain`, 4001 when the reader
// rejects, transactions signed here with a viem local account and sent to the node, everything else forwarded to
// the current chain's node. It counts every prompt by method and can be told to reject the next ones.
import type { BrowserContext, Page } from "@playwright/test";
import { type Chain, createWalletClient, defineChain, type Hex, http, numberToHex } from "viem";
import type { LocalAccount } from "viem/accounts";
import { walletBinding, walletEmitter, walletInitScript } from "./walletInitScript.ts";

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

type ProviderError = { code: number; message: string; data?: unknown };
type Answer = { result?: unknown; error?: ProviderError; events?: [string, unknown][] };

class WalletError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/** The local test chain as the wallet knows it once added (MetaMask's "Localhost"). */
export function localChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: "Local test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}

export class E2eWallet {
  readonly account: LocalAccount;
  readonly prompts = Object.fromEntries(promptMethods.map((method) => [method, 0])) as Record<PromptMethod, number>;
  /** The primary type of each typed-data message signed, in order (e.g. "Permit", "ReceiveWithAuthorization"). */
  readonly signedTypes: string[] = [];
  #chains = new Map<number, Chain>();
  #chainId: number;
  #connectedOrigins = new Set<string>();
  #rejections = new Map<PromptMethod, { left: number; code: number }>();
  #holds = new Map<PromptMethod, Promise<void>>();

  /** `chains`: what the wallet knows; it starts on `chainId` (default the first). */
  constructor(parameters: { account: LocalAccount; chains: Chain[]; chainId?: number }) {
    this.account = parameters.account;
    for (const chain of parameters.chains) this.#chains.set(chain.id, chain);
    this.#chainId = parameters.chainId ?? parameters.chains[0]?.id ?? 1;
  }

  /** Installs the wallet in every page of `context`, before page scripts, as an extension would. */
  async install(context: BrowserContext): Promise<void> {
    await context.exposeBinding(walletBinding, ({ frame }, method: string, params: string) =>
      this.#answer(new URL(frame.url()).origin, method, JSON.parse(params)),
    );
    await context.addInitScript({ content: walletInitScript });
  }

  /**
   * The reader rejects the next `times` prompts of `method`: with EIP-1193's 4001, or with `code` as the wallets that
   * drop it do (the words still say the user denied it).
   */
  rejectNext(method: PromptMethod, times = 1, code = 4001): void {
    this.#rejections.set(method, { left: (this.#rejections.get(method)?.left ?? 0) + times, code });
  }

  /**
   * The next prompt of `method` stays open (the reader has not decided yet) until the returned function is called:
   * what the page shows while a prompt is open can be looked at.
   */
  holdNext(method: PromptMethod): () => void {
    let release = () => {};
    this.#holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => release();
  }

  /**
   * The reader disconnects `page`'s site in the wallet, as in MetaMask's "connected sites": the site loses the
   * account and the page hears `accountsChanged` with none.
   */
  async disconnect(page: Page): Promise<void> {
    this.#connectedOrigins.delete(new URL(page.url()).origin);
    await page.evaluate((emitter) => {
      const emit = Reflect.get(window, emitter) as (event: string, value: unknown) => void;
      emit("accountsChanged", []);
    }, walletEmitter);
  }

  /** All prompts so far, of every method. */
  promptCount(): number {
    return Object.values(this.prompts).reduce((sum, count) => sum + count, 0);
  }

  async #answer(origin: string, method: string, params: unknown): Promise<Answer> {
    const events: [string, unknown][] = [];
    try {
      const result = await this.#request(origin, method, Array.isArray(params) ? params : [], events);
      return { result: result ?? null, events };
    } catch (error) {
      if (error instanceof WalletError)
        return { error: { code: error.code, message: error.message, data: error.data }, events };
      return { error: { code: -32603, message: error instanceof Error ? error.message : String(error) }, events };
    }
  }

  #chain(): Chain {
    const chain = this.#chains.get(this.#chainId);
    if (!chain) throw new WalletError(4901, `The wallet is on chain ${this.#chainId}, which it cannot reach.`);
    return chain;
  }

  #requireAccount(origin: string, address: unknown): void {
    if (!this.#connectedOrigins.has(origin)) throw new WalletError(4100, "The site is not connected to this wallet.");
    if (typeof address !== "string" || address.toLowerCase() !== this.account.address.toLowerCase()) {
      throw new WalletError(4100, `The wallet holds no account ${String(address)}.`);
    }
  }

  async #request(origin: string, method: string, params: unknown[], events: [string, unknown][]): Promise<unknown> {
    if ((promptMethods as readonly string[]).includes(method)) {
      const prompt = method as PromptMethod;
      this.prompts[prompt] += 1;
      const hold = this.#holds.get(prompt);
      this.#holds.delete(prompt);
      await hold;
      const rejection = this.#rejections.get(prompt);
      if (rejection && rejection.left > 0) {
        this.#rejections.set(prompt, { ...rejection, left: rejection.left - 1 });
        throw new WalletError(rejection.code, "MetaMask Tx Signature: User denied transaction signature.");
      }
    }
    switch (method) {
      case "eth_requestAccounts":
        if (!this.#connectedOrigins.has(origin)) {
          this.#connectedOrigins.add(origin);
          events.push(
            ["connect", { chainId: numberToHex(this.#chainId) }],
            ["accountsChanged", [this.account.address]],
          );
        }
        return [this.account.address];
      case "eth_accounts":
        return this.#connectedOrigins.has(origin) ? [this.account.address] : [];
      case "eth_chainId":
        return numberToHex(this.#chainId);
      case "net_version":
        return String(this.#chainId);
      case "wallet_switchEthereumChain": {
        const id = Number((params[0] as { chainId: string }).chainId);
        if (!this.#chains.has(id)) throw new WalletError(4902, `Unrecognized chain ID "${numberToHex(id)}".`);
        this.#switchTo(id, events);
        return null;
      }
      case "wallet_addEthereumChain": {
        const added = params[0] as { chainId: string; chainName: string; rpcUrls: string[] };
        const id = Number(added.chainId);
        const url = added.rpcUrls[0];
        if (!url) throw new WalletError(-32602, "wallet_addEthereumChain needs an RPC URL.");
        if (!this.#chains.has(id)) this.#chains.set(id, { ...localChain(id, url), name: added.chainName });
        this.#switchTo(id, events);
        return null;
      }
      case "eth_signTypedData_v4": {
        this.#requireAccount(origin, params[0]);
        const typedData = JSON.parse(String(params[1]));
        // MetaMask refuses typed data whose domain names another chain than the selected one.
        if (typedData.domain?.chainId !== undefined && Number(typedData.domain.chainId) !== this.#chainId) {
          throw new WalletError(
            -32603,
            `Provided chainId "${typedData.domain.chainId}" must match the active chainId "${this.#chainId}"`,
          );
        }
        const { EIP712Domain: _, ...types } = typedData.types;
        const signature = await this.account.signTypedData({ ...typedData, types });
        this.signedTypes.push(String(typedData.primaryType));
        return signature;
      }
      case "personal_sign":
        this.#requireAccount(origin, params[1]);
        return this.account.signMessage({ message: { raw: params[0] as Hex } });
      case "eth_sendTransaction": {
        const transaction = params[0] as Record<string, Hex | undefined>;
        this.#requireAccount(origin, transaction.from);
        const client = createWalletClient({ account: this.account, chain: this.#chain(), transport: http() });
        return client.sendTransaction({
          ...(transaction.to ? { to: transaction.to } : {}),
          ...(transaction.data ? { data: transaction.data } : {}),
          ...(transaction.value ? { value: BigInt(transaction.value) } : {}),
          ...(transaction.gas ? { gas: BigInt(transaction.gas) } : {}),
        });
      }
      default:
        return this.#forward(method, params);
    }
  }

  #switchTo(id: number, events: [string, unknown][]): void {
    if (id === this.#chainId) return;
    this.#chainId = id;
    events.push(["chainChanged", numberToHex(id)]);
  }

  async #forward(method: string, params: unknown[]): Promise<unknown> {
    const url = this.#chain().rpcUrls.default.http[0];
    if (!url) throw new WalletError(4901, `No RPC URL for chain ${this.#chainId}.`);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: ProviderError };
    if (body.error) throw new WalletError(body.error.code, body.error.message, body.error.data);
    return body.result;
  }
}
