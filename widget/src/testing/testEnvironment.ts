// What browser tests use of the global setup's chain and receiver: the chain definition, the deployment, funded
// readers with their MetaMask-like wallet, and a paid resource's payment requirements.
import type { Deployment } from "@micro-raiden/web-client/protocol";
import {
  decodePaymentResponseHeaders,
  demoTokenAbi,
  type PaymentRequirements,
} from "@micro-raiden/web-client/protocol";
import {
  type Address,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { inject } from "vitest";
import { type CreateTestWalletParameters, createTestWallet, type TestWallet } from "./createTestWallet.ts";

declare module "vitest" {
  interface ProvidedContext {
    rpcUrl: string;
    deployment: Deployment;
  }
}

/** The local chain, as a wallet and wagmi know it. */
export function testChain(): Chain {
  return defineChain({
    id: inject("deployment").chainId,
    name: "Local test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [inject("rpcUrl")] } },
    testnet: true,
  });
}

export function testDeployment(): Deployment {
  return inject("deployment");
}

/** Mining, balances and snapshots on the test chain. */
export function testClient() {
  return createTestClient({ mode: "hardhat", chain: testChain(), transport: http() });
}

export function publicTestClient() {
  return createPublicClient({ chain: testChain(), transport: http() });
}

/** Gives `address` ether and demo tokens (minted by a throwaway faucet account: minting is open on test chains). */
export async function fund(address: Address, { eth = parseEther("10"), tokens = 0n } = {}): Promise<void> {
  const test = testClient();
  await test.setBalance({ address, value: eth });
  if (tokens === 0n) return;
  const faucet = privateKeyToAccount(generatePrivateKey());
  await test.setBalance({ address: faucet.address, value: parseEther("1") });
  const wallet = createWalletClient({ account: faucet, chain: testChain(), transport: http() });
  const hash = await wallet.writeContract({
    address: testDeployment().token,
    abi: demoTokenAbi,
    functionName: "mint",
    args: [address, tokens],
  });
  await publicTestClient().waitForTransactionReceipt({ hash });
}

/** A new reader with a funded account and a MetaMask-like wallet announced on this page (EIP-6963). */
export async function newReader(
  options: { eth?: bigint; tokens?: bigint } & Partial<Omit<CreateTestWalletParameters, "account">> = {},
): Promise<TestWallet & { stop(): void }> {
  const account = privateKeyToAccount(generatePrivateKey());
  await fund(account.address, { eth: options.eth ?? parseEther("10"), tokens: options.tokens ?? parseEther("10") });
  const wallet = createTestWallet({ chains: [testChain()], ...options, account });
  const stop = wallet.announce();
  return { ...wallet, stop };
}

/** The token balance of `address`. */
export function tokenBalance(address: Address): Promise<bigint> {
  return publicTestClient().readContract({
    address: testDeployment().token,
    abi: demoTokenAbi,
    functionName: "balanceOf",
    args: [address],
  });
}

/** What a paid resource on the test receiver asks for: its 402's requirements, through the protocol's codec. */
export async function requirementsOf(path: string): Promise<PaymentRequirements> {
  // Past the browser cache: a paid answer to this page may be in it (paid answers are privately cacheable).
  const response = await fetch(path, { headers: { accept: "application/json" }, cache: "no-store" });
  if (response.status !== 402) throw new Error(`${path} answered ${response.status}, not 402.`);
  return decodePaymentResponseHeaders(response.headers).requirements;
}
