// A paid fragment comes from a receiver on another origin: nothing in it may run in the content site, fetch from it
// or pose as its forms. Its HTML is parsed once, into a document that runs and loads nothing (DOMParser), and the
// shadow root gets new nodes copied from that tree by an allow-list: elements of HTML's text content by name, their
// attributes by name, text as text. Nothing is serialized and parsed again (where sanitizers meet mutation XSS: markup
// that parses differently the second time), so what is copied is exactly what was checked, and whatever is not on the
// lists (script, style, handlers, frames, plugins, forms, SVG, MathML, templates) never reaches the page.

const html = "http://www.w3.org/1999/xhtml";

/** Elements copied, with their allowed attributes: text, links, images, lists, tables, figures, media. */
const elements = new Set(
  (
    "a abbr address article aside audio b bdi bdo blockquote br caption cite code col colgroup data dd del details " +
    "dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd li main mark nav ol p " +
    "pre q rp rt ruby s samp section small source span strong sub summary sup table tbody td tfoot th thead time tr " +
    "track u ul var video wbr"
  ).split(" "),
);

/**
 * Elements dropped with all they hold: what runs, loads or embeds (script, style, frames, plugins), what is not text
 * for a reader (head, title, templates, fallbacks), and form controls, which could pose as the reader's wallet or the
 * site's login. Any other element not copied is unwrapped: its content stays, without it.
 */
const droppedWithContent = new Set(
  (
    "script style link meta base head title template noscript noembed noframes iframe frame frameset object embed " +
    "applet canvas xmp plaintext textarea select option optgroup datalist input button form"
  ).split(" "),
);

/** Attributes kept on every copied element, and `aria-*` (plain text for assistive technology). */
const globalAttributes = new Set(["id", "class", "title", "lang", "dir", "role"]);

/** Attributes kept on some elements only. */
const elementAttributes: Record<string, readonly string[]> = {
  a: ["href", "hreflang"],
  img: ["src", "alt", "width", "height"],
  blockquote: ["cite"],
  q: ["cite"],
  del: ["cite", "datetime"],
  ins: ["cite", "datetime"],
  time: ["datetime"],
  data: ["value"],
  ol: ["start", "reversed", "type"],
  li: ["value"],
  td: ["colspan", "rowspan", "headers"],
  th: ["colspan", "rowspan", "headers", "scope", "abbr"],
  col: ["span"],
  colgroup: ["span"],
  details: ["open"],
  audio: ["src", "controls", "loop", "muted"],
  video: ["src", "controls", "loop", "muted", "poster", "width", "height"],
  source: ["src", "type"],
  track: ["src", "kind", "srclang", "label", "default"],
};

/** Attributes holding a URL: resolved against the fragment's own URL, kept only for http(s) and mailto. */
const urlAttributes = new Set(["href", "src", "cite", "poster"]);

/**
 * Turns a paid fragment's HTML (from a receiver on another origin) into inert nodes for the shadow root, copied by an
 * allow-list: scripts, event handler attributes, styles, frames, plugins, forms, SVG and MathML do not survive; a URL
 * survives only as an absolute http(s) or mailto URL, relative links and images resolved against the fragment's own
 * URL (they would otherwise point into the content site); `target` is not copied, so no link opens a window that
 * holds a handle on this page. Of a whole document, its body's content.
 * Never parse remote HTML any other way.
 *
 * @example
 * import { sanitizeFragment } from "./sanitizeFragment.ts";
 * container.replaceChildren(sanitizeFragment(await response.text(), response.url));
 */
export function sanitizeFragment(markup: string, baseUrl: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(markup, "text/html");
  const fragment = document.createDocumentFragment();
  copyChildren(parsed.body, fragment, baseUrl);
  return fragment;
}

function copyChildren(from: Node, to: Node, baseUrl: string): void {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.textContent ?? ""));
      continue;
    }
    // Comments, processing instructions and the like carry nothing for a reader.
    if (!(node instanceof Element)) continue;
    // SVG and MathML (and anything else not HTML) go with their content: their parsing rules are where markup
    // changes meaning.
    if (node.namespaceURI !== html || droppedWithContent.has(node.localName)) continue;
    if (!elements.has(node.localName)) {
      copyChildren(node, to, baseUrl);
      continue;
    }
    const copy = document.createElement(node.localName);
    for (const { name, value } of node.attributes) {
      const kept = keptAttribute(node.localName, name, value, baseUrl);
      if (kept !== undefined) copy.setAttribute(name, kept);
    }
    copyChildren(node, copy, baseUrl);
    to.appendChild(copy);
  }
}

/** The value `name` is copied with on an element `tag`, or undefined when it is not copied. */
function keptAttribute(tag: string, name: string, value: string, baseUrl: string): string | undefined {
  const allowed =
    globalAttributes.has(name) || /^aria-[a-z]+$/.test(name) || (elementAttributes[tag]?.includes(name) ?? false);
  if (!allowed) return undefined;
  if (!urlAttributes.has(name)) return value;
  // The URL parser drops the tabs and newlines that hide a scheme (`jav&#x09;ascript:`); anything that still does
  // not parse is dropped, not guessed.
  const url = URL.parse(value, baseUrl);
  return url && (url.protocol === "https:" || url.protocol === "http:" || url.protocol === "mailto:")
    ? url.href
    : undefined;
}
