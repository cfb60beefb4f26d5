// The specs' fixtures: the world global setup started, and `newReader()` — a fresh account funded on chain with its
// own browser context, in which the MetaMask-like wallet is installed before any page script.
import { type BrowserContext, test as base, type Page } from "@playwright/test";
import { type Address, parseEther } from "viem";
import { generatePrivateKey, type LocalAccount, privateKeyToAccount } from "viem/accounts";
import { E2eWallet, localChain } from "../wallet/E2eWallet.ts";
import { fund } from "./chain.ts";
import { usdc } from "./usdc.ts";
import { readWorld, type World } from "./world.ts";

export type Reader = {
  address: Address;
  account: LocalAccount;
  wallet: E2eWallet;
  context: BrowserContext;
  page: Page;
  /** Another browser context for the same reader and wallet (a fresh profile: no storage, no Service Worker). */
  newContext(options?: ReaderContextOptions): Promise<{ context: BrowserContext; page: Page }>;
};

export type ReaderContextOptions = { serviceWorkers?: "allow" | "block" };

export type ReaderOptions = ReaderContextOptions & {
  /** ETH for gas (default 10). */
  eth?: bigint;
  /** The token the reader holds: the journeys' USDC (default) or another deployment's (the demo token's). */
  token?: Address;
  /** How much of it, in base units (default 10 USDC). */
  tokens?: bigint;
  /** The wallet does not know the test chain yet and sits on mainnet (default: it knows it and is on it). */
  unknownChain?: boolean;
};

export const test = base.extend<{ world: World; newReader: (options?: ReaderOptions) => Promise<Reader> }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  world: async ({}, use) => use(readWorld()),
  newReader: async ({ browser, world }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      const account = privateKeyToAccount(generatePrivateKey());
      await fund(
        account,
        { eth: options.eth ?? parseEther("10"), tokens: options.tokens ?? usdc("10") },
        options.token,
      );
      const chain = localChain(world.deployment.chainId, world.rpcUrl);
      const wallet = new E2eWallet(
        options.unknownChain
          ? { account, chains: [localChain(1, "http://127.0.0.1:9/")], chainId: 1 }
          : { account, chains: [chain] },
      );
      const newContext = async (contextOptions: ReaderContextOptions = {}) => {
        const context = await browser.newContext({ serviceWorkers: contextOptions.serviceWorkers ?? "allow" });
        contexts.push(context);
        await wallet.install(context);
        // Nothing tells the receiver's own pages where the chain is: they say it themselves (data-rpc-url), though the
        // chain is on a free port and has the id of the usual local chain on 8545.
        const page = await context.newPage();
        return { context, page };
      };
      const { context, page } = await newContext(options);
      return { address: account.address, account, wallet, context, page, newContext };
    });
    for (const context of contexts) await context.close();
  },
});

export { expect } from "@playwright/test";
