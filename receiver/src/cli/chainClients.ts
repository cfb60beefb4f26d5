import {
  type Account,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type WalletClient,
} from "viem";

/** A public client and a wallet client for `account` on the chain `rpcUrl` serves (its id read from it). */
export async function chainClients(
  rpcUrl: string,
  account: Account,
): Promise<{ chainId: number; publicClient: PublicClient; walletClient: WalletClient }> {
  const transport = http(rpcUrl);
  const publicClient: PublicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return { chainId, publicClient, walletClient: createWalletClient({ account, transport, chain }) };
}
