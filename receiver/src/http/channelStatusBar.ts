import { channelStatusBarHeight, encodePaywallAttributes, encodePaywallSite } from "@micro-raiden/web-client/protocol";
import type { Context } from "hono";
import { type HtmlEscapedString, raw } from "hono/utils/html";
import { paidRequirements, paidSite } from "./paidRequirements.ts";

/** The element the widget's script mounts the reader's channel status on, as `#micro-raiden-paywall` is the 402's. */
export const channelStatusElementId = "micro-raiden-status";

export type ChannelStatusBarOptions = {
  /** URL of the widget's script tag, loaded after the element; leave it out when the page loads it already. */
  paywallScript?: string | undefined;
};

/**
 * The markup a paid page includes to show the reader's channel (deposit, spent, remaining, pages left, top-up and
 * close): `<div id="micro-raiden-status" data-…>` with the requirements this request was charged for, in the same
 * `data-*` attributes as the 402 page's paywall, then the script tag that mounts the bar on it. Call it from a
 * handler behind `paywall()`; inside `receiverApp` routes, `channelStatusBar(c)` of the routes' context fills in the
 * app's script.
 *
 * @example
 * import { channelStatusBar, paywall } from "@micro-raiden/receiver";
 * import { html } from "hono/html";
 * app.get("/articles/:id", paywall({ receiver, price }), (c) =>
 *   c.html(html`<body>${channelStatusBar(c, { paywallScript: "/micro-raiden/paywall.js" })}<article>…</article></body>`),
 * );
 */
export function channelStatusBar(c: Context, options: ChannelStatusBarOptions = {}): HtmlEscapedString {
  const requirements = paidRequirements(c);
  if (!requirements) {
    throw new Error("channelStatusBar: this request was not let through by paywall(); call it from a paid handler.");
  }
  // The names are the protocol's constants; the values are escaped, whatever a gateway path holds.
  const attributes = Object.entries({ ...encodePaywallAttributes(requirements), ...encodePaywallSite(paidSite(c)) })
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join("");
  const script = options.paywallScript ? `<script src="${escapeHtml(options.paywallScript)}" async></script>` : "";
  // Its place is held before the script draws the bar, so the article below does not move (no layout shift).
  const reserved = `display:flow-root;min-height:${channelStatusBarHeight}`;
  return raw(`<div id="${channelStatusElementId}" style="${reserved}"${attributes}></div>${script}`);
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}
