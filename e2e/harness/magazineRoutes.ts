// The e2e site's own paid pages, beside the demo's: a magazine whose articles are full documents with an inline
// script (so a spec can tell the real document ran), a link to the next article (so a spec can follow links) and
// the reader's channel status bar.
import type { ReceiverAppOptions } from "@micro-raiden/receiver";
import { parseUnits } from "viem";
import { usdcDecimals } from "./usdc.ts";

/** A magazine article's price in base units of a token with `decimals`: 0.001 of the token. */
export const magazinePriceIn = (decimals: number): bigint => parseUnits("0.001", decimals);

/** What an article costs on the journeys' token, USDC (6 decimals): 0.001 USDC, 1,000 base units. */
export const magazinePrice = magazinePriceIn(usdcDecimals);

/** The path of magazine article `id`. */
export const magazinePath = (id: number) => `/magazine/${id}`;

/** A special issue costs five articles: more than a channel opened on an article pays automatically. */
export const specialPriceIn = (decimals: number): bigint => 5n * magazinePriceIn(decimals);
export const specialPrice = specialPriceIn(usdcDecimals);
export const specialPath = (id: number) => `/special/${id}`;

/** The path of magazine article `id` served free (no paywall, no status bar). */
export const freeMagazinePath = (id: number) => `/free-magazine/${id}`;

export const magazineRoutes: NonNullable<ReceiverAppOptions["routes"]> = (
  app,
  { receiver, paywall, paywallScript, channelStatusBar },
) => {
  // In the receiver's token (read once when it started): USDC on the journeys' receivers, the demo token on one.
  const { decimals } = receiver.token;
  const price = magazinePriceIn(decimals);
  const script = paywallScript ? `<script src="${paywallScript}" async></script>` : "";
  app.get("/magazine", (c) =>
    c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The magazine</title></head>
<body><h1>The magazine</h1><ul>${[1, 2, 3, 4, 5]
      .map((id) => `<li><a href="${magazinePath(id)}">Article ${id}</a></li>`)
      .join("")}</ul>${script}</body></html>`),
  );
  // The article's document; `bar` is the paid page's channel status bar (none on the free twin).
  const article = (id: number, bar: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Magazine article ${id}</title></head><body>${bar}<main id="article" data-article="${id}"><h1>Magazine article ${id}</h1>
<p>The whole article, paid for with a balance proof.</p><a id="next" href="${magazinePath(id + 1)}">Next article</a></main>
<script>document.body.dataset.scriptRan = "yes";</script></body></html>`;
  app.get(
    "/magazine/:id",
    paywall({
      price,
      teaser: (c) => `<h1>Magazine article ${c.req.param("id")}</h1><p>The first paragraph is free…</p>`,
    }),
    (c) => c.html(article(Number(c.req.param("id")), channelStatusBar(c))),
  );
  app.get("/special/:id", paywall({ price: specialPriceIn(decimals) }), (c) =>
    c.html(article(Number(c.req.param("id")), channelStatusBar(c))),
  );
  // The same document served free, for `npm run bench:e2e` to compare a paid navigation with.
  app.get("/free-magazine/:id", (c) => c.html(article(Number(c.req.param("id")), "")));
};
