// Browser entry of the Playwright tests' wallet: bundled (with viem) into an init script that runs before any page
// script, it installs the shared MetaMask-like test wallet for the account and chain the test put in
// `window.testWalletConfig`, announces it through EIP-6963 and exposes it as `window.testWallet` for prompt counts.
// Like MetaMask, it stays connected to a site once the reader connected it: the next document of the same origin
// (a paid page loaded after the paywall) finds the account without a prompt.
import { defineChain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createTestWallet, type TestWallet } from "../testing/createTestWallet.ts";

export type TestWalletConfig = { privateKey: Hex; chainId: number; rpcUrl: string };

declare global {
  interface Window {
    testWalletConfig?: TestWalletConfig;
    testWallet?: TestWallet;
  }
}

/** The local test chain on its free port, as the wallet and the tag know it. */
export function testChain(chainId: number, rpcUrl: string) {
  return defineChain({
    id: chainId,
    name: "Local test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}

const config = typeof window === "undefined" ? undefined : window.testWalletConfig;
if (config) {
  const chain = testChain(config.chainId, config.rpcUrl);
  // Per origin and per browser context, as MetaMask's permission is per site and per profile.
  const connectedKey = "testWallet.connected";
  const account = privateKeyToAccount(config.privateKey);
  const wallet = createTestWallet({
    account,
    chains: [chain],
    connected: localStorage.getItem(connectedKey) === account.address,
  });
  wallet.provider.on("accountsChanged", (accounts) => {
    if (Array.isArray(accounts) && accounts.length > 0) localStorage.setItem(connectedKey, account.address);
  });
  window.testWallet = wallet;
  wallet.announce();
}
