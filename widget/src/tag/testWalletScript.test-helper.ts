// Browser entry of the Playwright tests' wallet: bundled (with viem) into an init script that runs before any page
// script, it installs the shared MetaMask-like test wallet for the account and chain the test put in
// `window.testWalletConfig`, announces it through EIP-6963 and exposes it as `window.testWallet` for prompt counts.
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
  const wallet = createTestWallet({ account: privateKeyToAccount(config.privateKey), chains: [chain] });
  window.testWallet = wallet;
  wallet.announce();
}
