// What a receiver tells its paywall about the chain and the token beside the payment requirements, so the widget on
// its 402 page needs no configuration: where a browser may read the chain, what the chain is called, and the token's
// symbol and decimals (the price can be drawn before any chain read). All optional: a page without them still works
// through the wallet's provider.
import { MalformedAttributeError } from "./MalformedAttributeError.ts";
import type { AttributeReader } from "./paywallAttributes.ts";

export type PaywallSite = {
  /** An RPC URL browsers may read the requirements' chain through (public: it is in the page). */
  rpcUrl?: string | undefined;
  /** The chain's name, for the wallet's "add network" prompt and the widget's text. */
  chainName?: string | undefined;
  /** The token's `symbol()` and `decimals()`, as the receiver read them. */
  token?: { symbol: string; decimals: number } | undefined;
};

/** The attribute of each site detail: the only place they are spelled out. */
export const paywallSiteAttributeNames = {
  rpcUrl: "data-rpc-url",
  chainName: "data-chain-name",
  tokenSymbol: "data-token-symbol",
  tokenDecimals: "data-token-decimals",
} as const;

const maxTextLength = 64;

/**
 * The attributes for `site` (values unescaped: let the HTML templating escape them); absent details are left out.
 *
 * @example
 * import { encodePaywallSite } from "@micro-raiden/web-client/protocol";
 * encodePaywallSite({ rpcUrl: "https://mainnet.base.org", token: { symbol: "USDC", decimals: 6 } });
 */
export function encodePaywallSite(site: PaywallSite): Record<string, string> {
  const names = paywallSiteAttributeNames;
  return {
    ...(site.rpcUrl === undefined ? {} : { [names.rpcUrl]: site.rpcUrl }),
    ...(site.chainName === undefined ? {} : { [names.chainName]: site.chainName }),
    ...(site.token === undefined
      ? {}
      : { [names.tokenSymbol]: site.token.symbol, [names.tokenDecimals]: String(site.token.decimals) }),
  };
}

/**
 * Reads the site details from the paywall element. Absent ones are undefined; a present one that is malformed (an
 * RPC URL that is not http(s), decimals that are not 0–255, a symbol without one) throws MalformedAttributeError, as
 * the requirements do: a page that says something wrong is not guessed around.
 *
 * @example
 * import { decodePaywallSite } from "@micro-raiden/web-client/protocol";
 * const { rpcUrl, token } = decodePaywallSite(document.getElementById("micro-raiden-paywall")!);
 */
export function decodePaywallSite(element: AttributeReader): PaywallSite {
  const names = paywallSiteAttributeNames;
  const read = (attribute: string) => {
    const value = element.getAttribute(attribute);
    return value === null || value === "" ? undefined : value;
  };
  const fail = (attribute: string, reason: string): never => {
    throw new MalformedAttributeError({ attribute, reason });
  };
  const text = (attribute: string) => {
    const value = read(attribute);
    if (value !== undefined && (value.length > maxTextLength || [...value].some(isControl))) {
      fail(attribute, `must be printable and at most ${maxTextLength} characters`);
    }
    return value;
  };

  const rpcUrl = read(names.rpcUrl);
  if (rpcUrl !== undefined && !isHttpUrl(rpcUrl)) fail(names.rpcUrl, "must be an http(s) URL");
  const symbol = text(names.tokenSymbol);
  const decimalsText = read(names.tokenDecimals);
  if ((symbol === undefined) !== (decimalsText === undefined)) {
    fail(symbol === undefined ? names.tokenSymbol : names.tokenDecimals, "comes only with the token's other detail");
  }
  let token: PaywallSite["token"];
  if (symbol !== undefined && decimalsText !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(decimalsText) || Number(decimalsText) > 255) {
      fail(names.tokenDecimals, "must be a whole number from 0 to 255");
    }
    token = { symbol, decimals: Number(decimalsText) };
  }
  return { rpcUrl, chainName: text(names.chainName), token };
}

function isControl(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
