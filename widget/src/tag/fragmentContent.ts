/** Headings, in the order a page's outline lists them. */
const headings = "h1, h2, h3, h4, h5, h6";

/** A whole HTML document (a paid page as a browser would load it), not a part of one. */
export function isWholeDocument(html: string): boolean {
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype|html)[\s>]/i.test(html);
}

/**
 * What of a paid answer, sanitized, goes into the content site's page. A whole document (the receiver's paid page,
 * as a demo article is) gives its `<main>`'s content, unwrapped: not the page around it (its channel status
 * element, navigation, a second main landmark inside the post's). A heading the fragment starts with that `page`
 * already shows (the post's title above the paid part) is not shown twice. Anything else stays as it came.
 *
 * @example
 * import { fragmentContent } from "./fragmentContent.ts";
 * const nodes = fragmentContent(sanitizeFragment(html, url), { wholeDocument: isWholeDocument(html), page: document });
 */
export function fragmentContent(
  nodes: DocumentFragment,
  options: { wholeDocument: boolean; page: ParentNode },
): DocumentFragment {
  const main = options.wholeDocument ? nodes.querySelector("main") : null;
  const content = main ? fromChildren(main) : nodes;
  const heading = content.querySelector(headings);
  if (heading && startsWith(content, heading) && shownIn(options.page, heading)) heading.remove();
  return content;
}

function fromChildren(element: Element): DocumentFragment {
  const fragment = element.ownerDocument.createDocumentFragment();
  fragment.append(...element.childNodes);
  return fragment;
}

/** No text comes before `element` in `content`: the fragment opens with it. */
function startsWith(content: DocumentFragment, element: Element): boolean {
  const range = element.ownerDocument.createRange();
  range.setStart(content, 0);
  range.setEndBefore(element);
  return range.toString().trim() === "";
}

function shownIn(page: ParentNode, heading: Element): boolean {
  const text = normalize(heading.textContent);
  return text !== "" && [...page.querySelectorAll(headings)].some((shown) => normalize(shown.textContent) === text);
}

const normalize = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim().toLowerCase();
