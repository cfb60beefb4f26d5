import { encodePaywallAttributes, type PaymentRequirements } from "@micro-raiden/web-client/protocol";
import { html, raw } from "hono/html";

/**
 * The 402 page a browser gets: the teaser, the price, and the paywall script (the widget bundle) that opens a
 * channel and pays. Until the widget is built, the page says what it will load.
 */
export function paywallPage(parameters: {
  requirements: PaymentRequirements;
  teaser: string;
  script?: string | undefined;
}) {
  const { requirements, teaser, script } = parameters;
  // The names are the protocol's constants (safe as markup); the values are escaped by `html`.
  const attributes = Object.entries(encodePaywallAttributes(requirements)).map(
    ([name, value]) => html` ${raw(name)}="${value}"`,
  );
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Payment required</title>
  </head>
  <body>
    <main>
      <article class="teaser">${raw(teaser)}</article>
      <section id="micro-raiden-paywall"${attributes}>
        <h2>This page costs ${requirements.price.toString()} token base units</h2>
        ${
          script
            ? html`<p>Loading the paywall…</p><script type="module" src="${script}"></script>`
            : html`<p>The µRaiden paywall widget will load here: it opens a payment channel with your wallet (one
              confirmation) and then pays for each page without a prompt. It is not built yet; machine clients can
              pay with the headers this response carries.</p>`
        }
      </section>
    </main>
  </body>
</html>`;
}
