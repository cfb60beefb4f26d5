import DOMPurify from "dompurify";

// Form controls could pose as the reader's wallet or the site's login; a paid fragment is content to read. Styles
// go too: they could fetch trackers (url(), @import) or dress the fragment up as the paywall; it reads in the
// widget's typography.
const forbiddenTags = ["form", "input", "button", "select", "textarea", "base", "meta", "link", "style"];
const forbiddenAttributes = ["style"];
const urlAttributes = ["href", "src", "action", "poster", "cite"];

/**
 * Turns a paid fragment's HTML (from a receiver on another origin) into inert nodes for the shadow root: DOMPurify
 * with the HTML profile removes scripts, event handler attributes, `javascript:` and other script-carrying URLs,
 * SVG and MathML; form controls and styles are dropped; relative links and images are resolved against the fragment's own
 * URL (they would otherwise point into the content site); `target` goes (DOMPurify's default), so no link opens
 * a window that holds a handle on this page.
 * Never parse remote HTML any other way.
 *
 * @example
 * import { sanitizeFragment } from "./sanitizeFragment.ts";
 * container.replaceChildren(sanitizeFragment(await response.text(), response.url));
 */
export function sanitizeFragment(html: string, baseUrl: string): DocumentFragment {
  const purify = DOMPurify(window);
  purify.addHook("afterSanitizeAttributes", (node) => {
    for (const name of urlAttributes) {
      const value = node.getAttribute(name);
      if (value === null) continue;
      const absolute = URL.parse(value, baseUrl);
      // DOMPurify has already removed script URLs; anything that still does not parse is dropped, not guessed.
      if (
        absolute &&
        (absolute.protocol === "https:" || absolute.protocol === "http:" || absolute.protocol === "mailto:")
      )
        node.setAttribute(name, absolute.href);
      else node.removeAttribute(name);
    }
  });
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: forbiddenTags,
    FORBID_ATTR: forbiddenAttributes,
    RETURN_DOM_FRAGMENT: true,
  });
}
