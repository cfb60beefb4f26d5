// A content site that is not the receiver: static HTML pages on an origin of their own, as a blog or a docs site
// would serve them, and a built app's files. The paywall's script tag must work there with nothing but its tag, and
// a React app there reaches the receiver over CORS.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

export type StaticSite = {
  /** The site's origin: "localhost", never the receiver's "127.0.0.1", so every request to the receiver is CORS. */
  origin: string;
  /** Serves `html` at `path` and returns the page's URL. */
  page(path: string, html: string): string;
  /** Serves the files of `dir` (a built app: `index.html` at `/`) for every path no page claims; returns `/`'s URL. */
  directory(dir: string): string;
  close(): Promise<void>;
};

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

export async function startStaticSite(): Promise<StaticSite> {
  const pages = new Map<string, string>();
  let files: string | undefined;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://site").pathname);
    const page = pages.get(path);
    if (page !== undefined || files === undefined) {
      response.writeHead(page === undefined ? 404 : 200, { "content-type": "text/html; charset=utf-8" });
      response.end(page ?? "not found");
      return;
    }
    const root = files;
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(404).end("not found");
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" });
        response.end(body);
      },
      () => response.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("not found"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return `${origin}${path}`;
    },
    directory(dir) {
      files = normalize(dir);
      return `${origin}/`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
