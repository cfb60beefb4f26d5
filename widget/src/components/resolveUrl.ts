/**
 * `url` resolved against the page. While a server renders the widget (Next.js, no `location`) a relative URL is
 * resolved against a placeholder origin: it only names queries and links that run once the page is in a browser.
 */
export function resolveUrl(url: string, base?: string): URL {
  return new URL(url, base ?? globalThis.location?.href ?? "http://server-render.invalid/");
}

/** The receiver's REST API root for a paid resource: its requirements' gateway path on the resource's origin. */
export function gatewayUrlOf(gatewayPath: string, resource: string): string {
  return resolveUrl(gatewayPath, resolveUrl(resource).href).href.replace(/\/$/, "");
}
