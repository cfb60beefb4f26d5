import { paywallPageCss } from "@micro-raiden/receiver";
import { html, raw } from "hono/html";

// Readable by default and nothing more: the demo shows the widget, so its own pages stay plain. They read in the
// receiver's 402 page stylesheet, so a paid article keeps the 402 page's type when the payment goes through; the
// demo adds its lists. The status bar sits above the page in its own shadow root, whose styles this sheet cannot
// reach.
const demoCss = `${paywallPageCss}
ul { padding-left: 1.25rem; }
li { margin: .4rem 0; }`;

/**
 * A demo page: the document around `body` with the demo's stylesheet; `top` goes above the page's content (the
 * reader's channel status bar on paid pages).
 */
export function demoPage(parameters: { title: string; body: unknown; top?: unknown }) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${parameters.title}</title>
    <style>${raw(demoCss)}</style>
  </head>
  <body>
    ${parameters.top ?? ""}
    <main>${parameters.body}</main>
  </body>
</html>`;
}
