import {
  encodePaywallAttributes,
  encodePaywallSite,
  type PaymentRequirements,
  type PaywallSite,
  paywallPolicyAttributeNames,
} from "@micro-raiden/web-client/protocol";
import { html, raw } from "hono/html";
import { formatUnits } from "viem";
import type { TokenInfo } from "../Receiver.ts";

/**
 * The 402 page's stylesheet: a readable page and nothing more (the paywall panel brings its own styles in its shadow
 * root). A site's paid pages that include it read in the same type as the 402 page before them, so the reader's
 * page does not change its font when the payment goes through. A site that wants its own look serves its own 402
 * page (the paywall's `teaser` is HTML) or renders the widget itself.
 *
 * @example
 * import { paywallPageCss } from "@micro-raiden/receiver";
 * import { html, raw } from "hono/html";
 * c.html(html`<head><style>${raw(paywallPageCss)}</style></head><body><main>…</main></body>`);
 */
export const paywallPageCss: string = `
body { margin: 0; font: 18px/1.6 system-ui, sans-serif; color: #1b1f24; background: #fdfcfa; }
main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 1rem 0; }
a { color: #0b5cad; }
/* The paywall keeps its place as the script replaces its fallback with the widget: no margin collapses through it. */
#micro-raiden-paywall { display: flow-root; }
@media (prefers-color-scheme: dark) {
  body { color: #e8ecf1; background: #16191d; }
  a { color: #8cc4ff; }
}`;

/**
 * The 402 page a browser gets: the teaser, the price in tokens, and the paywall script (the widget's script tag,
 * loaded as a classic async script) that mounts itself on `#micro-raiden-paywall`, opens a channel and pays. Without
 * JavaScript (or without a script configured) the page still says what the reader needs.
 */
export function paywallPage(parameters: {
  requirements: PaymentRequirements;
  token: TokenInfo;
  teaser: string;
  script?: string | undefined;
  /** The site's declared most a page costs: readers' channels opened here pay automatically up to it. */
  autoPayMaxPrice?: bigint | undefined;
  /** The receiver's chain and token details, so the paywall draws the price and reads the chain unconfigured. */
  site?: PaywallSite | undefined;
}) {
  const { requirements, token, teaser, script, autoPayMaxPrice } = parameters;
  const declared =
    autoPayMaxPrice === undefined ? {} : { [paywallPolicyAttributeNames.maxPrice]: autoPayMaxPrice.toString() };
  // The names are the protocol's constants (safe as markup); the values are escaped by `html`.
  const attributes = Object.entries({
    ...encodePaywallAttributes(requirements),
    ...encodePaywallSite(parameters.site ?? {}),
    ...declared,
  }).map(([name, value]) => html` ${raw(name)}="${value}"`);
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Payment required</title>
    <style>${raw(paywallPageCss)}</style>
  </head>
  <body>
    <main>
      <article class="teaser">${raw(teaser)}</article>
      <section id="micro-raiden-paywall"${attributes}>
        <h2>This page costs ${formatUnits(requirements.price, token.decimals)} ${token.symbol}</h2>
        <p>To read on, pay from a browser wallet such as MetaMask: one confirmation opens a payment channel, then
          pages are paid without a prompt. This needs JavaScript.</p>
      </section>
    </main>
    ${script ? html`<script src="${script}" async></script>` : ""}
  </body>
</html>`;
}
