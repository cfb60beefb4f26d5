/** Where the tag renders inside a host element: a container in the element's own shadow root. */
export type ShadowMount = { shadowRoot: ShadowRoot; container: HTMLDivElement };

// Inherited properties (font, color, line-height, text-align…) are the only page styles that cross a shadow
// boundary, through the host element, which the page's selectors can still match (and beat any :host rule). So the
// reset sits on the widget's panels inside, where no page selector reaches, at zero specificity so the panels' own
// styles still apply: they look the same on every site. A paid fragment, outside any panel, inherits the site's
// typography like the rest of the post. Nothing in here matches outside.
const baseStyle = `:host { display: block; }
:host([hidden]) { display: none; }
.micro-raiden { display: block; }
:where(.mr-panel) { all: initial; display: block; font-family: system-ui, sans-serif; font-size: 16px;
  line-height: 1.5; color: CanvasText; }`;

/**
 * Attaches an open shadow root to `element` (replacing the fallback content the page put there, which stays in the
 * light DOM for readers without scripts) and returns the container to render into. Mounting the same element again
 * reuses its shadow root, emptied.
 *
 * @example
 * import { createShadowMount } from "./createShadowMount.ts";
 * const { container } = createShadowMount(document.getElementById("micro-raiden-paywall")!);
 */
export function createShadowMount(element: HTMLElement): ShadowMount {
  const shadowRoot = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = baseStyle;
  const container = document.createElement("div");
  container.className = "micro-raiden";
  shadowRoot.replaceChildren(style, container);
  return { shadowRoot, container };
}
