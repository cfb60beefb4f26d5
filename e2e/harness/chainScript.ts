/**
 * A site's `window.microRaidenConfig` naming the local test chain and its RPC URL. The widget knows the usual local
 * chain (port 8545) and Sepolia; a chain on a free port has to be named by the site, as any site on another chain
 * would. The content site carries it in its pages (a paid fragment has no receiver page to say it); the receiver's own
 * pages say it themselves (data-rpc-url).
 */
export function chainScript(chainId: number, rpcUrl: string): string {
  const chain = {
    id: chainId,
    name: "Local test chain",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  };
  return `window.microRaidenConfig = Object.assign(window.microRaidenConfig ?? {}, { chains: [${JSON.stringify(chain)}] });`;
}
