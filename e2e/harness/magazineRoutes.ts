// The e2e site's own paid pages, beside the demo's: a magazine whose articles are full documents with an inline
// script (so a spec can tell the real document ran), a link to the next article (so a spec can follow links) and
// the reader's channel status bar.
import type { ReceiverAppOptions } from "@micro-raiden/receiver";
import { parseEther } from "viem";

/** Every magazine article costs this, in token base units (the demo token has 18 decimals: 0.001 TKN). */
export const magazinePrice = parseEther("0.001");

/** The path of magazine article `id`. */
export const magazinePath = (id: number) => `/magazine/${id}`;

/** A special issue costs five articles: more than a channel opened on an article pays automatically. */
export const specialPrice = 5n * magazinePrice;
export const specialPath = (id: number) => `/special/${id}`;

/** The path of magazine article `id` served free (no paywall, no status bar). */
export const freeMagazinePath = (id: number) => `/free-magazine/${id}`;

export const magazineRoutes: NonNullable<ReceiverAppOptions["routes"]> = (
  app,
  { paywall, paywallScript, channelStatusBar },
) => {
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
      price: magazinePrice,
      teaser: (c) => `<h1>Magazine article ${c.req.param("id")}</h1><p>The first paragraph is free…</p>`,
    }),
    (c) => c.html(article(Number(c.req.param("id")), channelStatusBar(c))),
  );
  app.get("/special/:id", paywall({ price: specialPrice }), (c) =>
    c.html(article(Number(c.req.param("id")), channelStatusBar(c))),
  );
  // The same document served free, for `npm run bench:e2e` to compare a paid navigation with.
  app.get("/free-magazine/:id", (c) => c.html(article(Number(c.req.param("id")), "")));
};
