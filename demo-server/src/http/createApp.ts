import { Hono } from "hono";
import { html } from "hono/html";
import { type PublicClient, parseEther } from "viem";
import type { Operator } from "../chain/operator.ts";
import type { Receiver } from "../receiver/createReceiver.ts";
import { errorBody } from "./errorResponse.ts";
import { paywall } from "./paywall.ts";
import { receiverApi } from "./receiverApi.ts";

export type AppDependencies = {
  receiver: Receiver;
  publicClient: PublicClient;
  operatorToken?: string | undefined;
  operator?: Operator | undefined;
  /** Upstream served (for a price) under /proxy/ — µRaiden's proxied resource. */
  upstreamUrl?: string | undefined;
  /** URL of the paywall script the 402 page loads (the widget bundle). */
  paywallScript?: string | undefined;
};

/** The demo articles: different prices, one teaser each. */
export const articles = [
  { id: "1", title: "Why micropayments failed, and why they might not now", price: parseEther("0.001") },
  { id: "2", title: "Payment channels in five minutes", price: parseEther("0.002") },
  { id: "3", title: "The long read: state channels from µRaiden to today", price: parseEther("0.005") },
] as const;

/** Price of the dynamic-price endpoint, per character of the requested text. */
export const pricePerCharacter = parseEther("0.0001");

/**
 * The demo receiver as a Hono app (no port: serve it with @hono/node-server, test it with `app.request`): free
 * pages, paid articles at fixed prices, a dynamic price, a proxied upstream, and the REST API at `/api/1`.
 *
 * @example
 * import { createApp } from "@micro-raiden/demo-server";
 * const app = createApp({ receiver, publicClient });
 * const response = await app.request("/articles/1");   // 402
 */
export function createApp(deps: AppDependencies): Hono {
  const { receiver } = deps;
  const app = new Hono();
  const common = { receiver, paywallScript: deps.paywallScript };

  app.get("/", (c) =>
    c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>µRaiden demo</title></head>
<body>
  <h1>µRaiden demo</h1>
  <p>Pay a fraction of a cent per page through a payment channel. <a href="/free">A free page</a>.</p>
  <ul>
    ${articles.map((a) => html`<li><a href="/articles/${a.id}">${a.title}</a> — ${a.price.toString()} base units</li>`)}
    <li><a href="/echodyn/hello">/echodyn/&lt;text&gt;</a> — ${pricePerCharacter.toString()} base units per character</li>
  </ul>
</body></html>`),
  );
  app.get("/free", (c) => c.text("This page is free. Everything else here costs a little."));

  const findArticle = (id: string | undefined) => articles.find((a) => a.id === id);
  app.get(
    "/articles/:id",
    // An article that does not exist is a 404, not something to pay for.
    async (c, next) =>
      findArticle(c.req.param("id")) ? next() : c.json(errorBody("not_found", "No such article."), 404),
    paywall({
      ...common,
      price: (c) => findArticle(c.req.param("id"))?.price ?? articles[0].price,
      teaser: (c) => `<h1>${findArticle(c.req.param("id"))?.title ?? ""}</h1><p>The first paragraph is free…</p>`,
    }),
    (c) => {
      const article = findArticle(c.req.param("id"));
      if (!article) return c.json(errorBody("not_found", "No such article."), 404);
      return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>${article.title}</title></head>
<body><article><h1>${article.title}</h1><p>The whole article, paid for with a balance proof.</p></article></body></html>`);
    },
  );

  app.get(
    "/echodyn/:text",
    paywall({ ...common, price: (c) => BigInt(Math.max(1, (c.req.param("text") ?? "").length)) * pricePerCharacter }),
    (c) => c.text(c.req.param("text")),
  );

  if (deps.upstreamUrl) {
    const upstream = deps.upstreamUrl.replace(/\/$/, "");
    app.get("/proxy/*", paywall({ ...common, price: parseEther("0.001") }), async (c) => {
      const { pathname, search } = new URL(c.req.url);
      const answer = await fetch(`${upstream}${pathname.slice("/proxy".length)}${search}`).catch(() => undefined);
      if (!answer) return c.json(errorBody("not_found", "The upstream did not answer."), 502);
      return new Response(answer.body, {
        status: answer.status,
        headers: { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" },
      });
    });
  }

  app.route(receiver.requirements(1n).gatewayPath, receiverApi(deps));
  return app;
}
