// A content site that is not the receiver: static HTML pages on an origin of their own, as a blog or a docs site
// would serve them. The paywall's script tag must work there with nothing but its tag.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type StaticSite = {
  /** The site's origin: "localhost", never the receiver's "127.0.0.1", so every request to the receiver is CORS. */
  origin: string;
  /** Serves `html` at `path` and returns the page's URL. */
  page(path: string, html: string): string;
  close(): Promise<void>;
};

export async function startStaticSite(): Promise<StaticSite> {
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? "/", "http://site").pathname);
    response.writeHead(page === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8" });
    response.end(page ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
