import type { PaymentRequirements, PaywallSite } from "@micro-raiden/web-client/protocol";
import type { Chain } from "viem";
import { defaultChains } from "../provider/createWidgetConfig.ts";

/**
 * The chains a mount's widget reads, from what the page says. A site's own `chains` (its `microRaidenConfig`) that
 * name the requirements' chain are used as given. Otherwise the receiver's page decides for its chain: its public RPC
 * URL (`data-rpc-url`) becomes that chain's transport, and a page that names none drops a default of the same id, so
 * the token is read through the reader's wallet rather than from whatever answers on the default local port.
 * Undefined when neither the site nor the page says anything: the provider's defaults.
 */
export function siteChains(
  requirements: PaymentRequirements,
  site: PaywallSite,
  configured: readonly [Chain, ...Chain[]] | undefined,
): readonly [Chain, ...Chain[]] | undefined {
  if (configured?.some((chain) => chain.id === requirements.chainId)) return configured;
  const spoken = site.rpcUrl !== undefined || site.chainName !== undefined || site.token !== undefined;
  if (!spoken) return configured;
  const others = (configured ?? defaultChains).filter((chain) => chain.id !== requirements.chainId);
  if (site.rpcUrl === undefined) {
    const [first, ...rest] = others;
    return first ? [first, ...rest] : configured;
  }
  const chain: Chain = {
    id: requirements.chainId,
    name: site.chainName ?? `Chain ${requirements.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [site.rpcUrl] } },
  };
  return [chain, ...others];
}
