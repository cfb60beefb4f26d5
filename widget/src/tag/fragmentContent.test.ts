// What of a paid answer goes into the content site's page, in real Chromium: a whole paid page gives its main
// content; the title the page shows already is not repeated; a fragment that is a part of a page stays as it came.
import { afterEach, describe, expect, it } from "vitest";
import { fragmentContent, isWholeDocument } from "./fragmentContent.ts";
import { sanitizeFragment } from "./sanitizeFragment.ts";

const base = "https://receiver.example/articles/1";

/** The content site's page: its own title above the paid part. */
function page(title: string): Document {
  return new DOMParser().parseFromString(`<main><h1>${title}</h1><p>Free.</p></main>`, "text/html");
}

/** What the reader gets: the fragment's HTML, sanitized and cut, as markup. */
function shown(html: string, onPage: Document): string {
  const nodes = fragmentContent(sanitizeFragment(html, base), { wholeDocument: isWholeDocument(html), page: onPage });
  const container = document.createElement("div");
  container.append(nodes);
  return container.innerHTML.replace(/\s+/g, " ").trim();
}

const paidPage = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><div id="micro-raiden-status" data-price="1"></div>
<main><article><h1>${title}</h1><p>The whole article.</p></article>
<p><a href="/articles/2">Next</a></p></main></body></html>`;

afterEach(() => document.body.replaceChildren());

describe("fragmentContent", () => {
  it("tells a whole document from a part of one", () => {
    expect(isWholeDocument("<!doctype html><html><body>x</body></html>")).toBe(true);
    expect(isWholeDocument("  <!-- served by a CMS -->\n<HTML lang=en><p>x")).toBe(true);
    expect(isWholeDocument("<article><h2>The paid part</h2></article>")).toBe(false);
    expect(isWholeDocument("<p>About <html> tags</p>")).toBe(false);
  });

  it("shows a whole paid page's main content, without the title the site shows already", () => {
    expect(shown(paidPage("Payment channels"), page("Payment channels"))).toBe(
      '<article><p>The whole article.</p></article> <p><a href="https://receiver.example/articles/2">Next</a></p>',
    );
  });

  it("keeps the paid page's title when the site's page has another one", () => {
    expect(shown(paidPage("Payment channels"), page("A post"))).toContain("<h1>Payment channels</h1>");
  });

  it("keeps a whole document without a main element whole, and a part of a page as it came", () => {
    const noMain = "<!doctype html><html><body><h2>Paid</h2><p>Text.</p></body></html>";
    expect(shown(noMain, page("A post"))).toBe("<h2>Paid</h2><p>Text.</p>");
    const part = "<main><p>Part of a page.</p></main>";
    expect(shown(part, page("A post"))).toBe(part);
  });

  it("drops the site's title only where the fragment opens with it", () => {
    const later = "<p>First the text.</p><h2>A post</h2><p>More.</p>";
    expect(shown(later, page("A post"))).toBe(later);
    const opening = "<section>\n  <h2>A  POST</h2><p>The text.</p></section>";
    expect(shown(opening, page("A post"))).toBe("<section> <p>The text.</p></section>");
  });
});
