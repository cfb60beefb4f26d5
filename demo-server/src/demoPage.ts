import { html } from "hono/html";

// Readable by default and nothing more: the demo shows the widget, so its own pages stay plain. The status bar
// sits above the page in its own shadow root, whose styles this sheet cannot reach.
const demoCss = `
body { margin: 0; font: 18px/1.6 Georgia, "Times New Roman", serif; color: #1b1f24; background: #fdfcfa; }
main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font: 700 2rem/1.25 system-ui, sans-serif; margin: 1rem 0; }
a { color: #0b5cad; }
ul { padding-left: 1.25rem; }
li { margin: .4rem 0; }
@media (prefers-color-scheme: dark) {
  body { color: #e8ecf1; background: #16191d; }
  a { color: #8cc4ff; }
}`;

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
    <style>${demoCss}</style>
  </head>
  <body>
    ${parameters.top ?? ""}
    <main>${parameters.body}</main>
  </body>
</html>`;
}
