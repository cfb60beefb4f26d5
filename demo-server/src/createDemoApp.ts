import { type Receiver, type ReceiverRoutesContext, receiverApp } from "@micro-raiden/receiver";
import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
import type { Hono } from "hono";
import { html } from "hono/html";
import { formatUnits, parseUnits } from "viem";
import { demoPage } from "./demoPage.ts";

/**
 * The demo articles: different prices, one teaser each. Prices are in whole tokens, as a reader reads them: on USDC
 * (the demo's token) 0.001 USDC is 1,000 base units; {@link demoPrice} gives the base units of the token in use.
 */
export const articles = [
  { id: "1", title: "Why micropayments failed, and why they might not now", price: "0.001" },
  { id: "2", title: "Payment channels in five minutes", price: "0.002" },
  { id: "3", title: "The long read: state channels from µRaiden to today", price: "0.005" },
] as const;

/** Price of the dynamic-price endpoint, per character of the requested text, in whole tokens. */
export const pricePerCharacter = "0.0001";

/**
 * A demo price (whole tokens) in the base units of a token with `decimals`: `demoPrice("0.001", 6)` is 1000n (USDC),
 * `demoPrice("0.001", 18)` is 10n ** 15n (the demo token).
 */
export function demoPrice(price: string, decimals: number): bigint {
  return parseUnits(price, decimals);
}

const findArticle = (id: string | undefined) => articles.find((a) => a.id === id);

/**
 * The demo site's routes: a free index and page, paid articles at fixed prices, and a dynamic price
 * (`/echodyn/<text>`, µRaiden's example). Pass it as `routes` to the receiver's app, server or CLI.
 *
 * @example
 * import { startServer } from "@micro-raiden/receiver";
 * import { demoRoutes } from "@micro-raiden/demo-server";
 * const server = await startServer({ ...options, routes: demoRoutes });
 */
export function demoRoutes(
  app: Hono,
  { receiver, paywall, paywallScript, channelStatusBar }: ReceiverRoutesContext,
): void {
  // Prices in tokens, from the token's own symbol and decimals (read once when the receiver started).
  const { decimals, symbol } = receiver.token;
  const tokens = (amount: bigint) => `${formatUnits(amount, decimals)} ${symbol}`;
  const priceOf = (article: (typeof articles)[number]) => demoPrice(article.price, decimals);
  const perCharacter = demoPrice(pricePerCharacter, decimals);
  // The most an article costs, declared on its 402 page: a reader who opens "Automatically" on any article lets the
  // channel pay every article with no prompt (the widget otherwise takes the first article's price and asks before a
  // pricier one).
  const [articleMaxPrice] = articles.map(priceOf).sort((a, b) => (a < b ? 1 : -1));
  app.get("/", (c) =>
    c.html(
      demoPage({
        title: "µRaiden demo",
        body: html`<h1>µRaiden demo</h1>
  <p>Pay a fraction of a cent per page through a payment channel. <a href="/free">A free page</a>.</p>
  <ul>
    ${articles.map((a) => html`<li><a href="/articles/${a.id}">${a.title}</a> — ${tokens(priceOf(a))}</li>`)}
    <li><a href="/echodyn/hello">/echodyn/&lt;text&gt;</a> — ${tokens(perCharacter)} per character</li>
  </ul>
  ${paywallScript ? html`<script src="${paywallScript}" async></script>` : ""}`,
      }),
    ),
  );
  app.get("/free", (c) => c.text("This page is free. Everything else here costs a little."));

  app.get(
    "/articles/:id",
    // An article that does not exist is a 404, not something to pay for.
    async (c, next) =>
      findArticle(c.req.param("id")) ? next() : c.json(encodeErrorBody("not_found", "No such article."), 404),
    paywall({
      price: (c) => priceOf(findArticle(c.req.param("id")) ?? articles[0]),
      autoPayMaxPrice: articleMaxPrice,
      teaser: (c) => `<h1>${findArticle(c.req.param("id"))?.title ?? ""}</h1><p>The first paragraph is free…</p>`,
    }),
    (c) => {
      const article = findArticle(c.req.param("id")) ?? articles[0];
      const next = articles[articles.indexOf(article) + 1];
      return c.html(
        demoPage({
          title: article.title,
          top: channelStatusBar(c),
          body: html`<article><h1>${article.title}</h1><p>The whole article, paid for with a balance proof.</p></article>
  ${next ? html`<p><a href="/articles/${next.id}">Next: ${next.title}</a> — ${tokens(priceOf(next))}</p>` : ""}`,
        }),
      );
    },
  );

  app.get(
    "/echodyn/:text",
    paywall({ price: (c) => BigInt(Math.max(1, (c.req.param("text") ?? "").length)) * perCharacter }),
    (c) => c.text(c.req.param("text")),
  );
}

/**
 * The demo site as a Hono app (no port: serve it, or test it with `app.request`): the receiver's app with the
 * demo's routes.
 *
 * @example
 * import { createDemoApp } from "@micro-raiden/demo-server";
 * const app = createDemoApp({ receiver });
 * const response = await app.request("/articles/1"); // 402
 */
export function createDemoApp(options: { receiver: Receiver; operatorToken?: string; paywallScript?: string }): Hono {
  return receiverApp({ ...options, routes: demoRoutes });
}
