// The second origin: a plain static site (`http://localhost:<port>`, where the receiver is `127.0.0.1`) whose posts
// have a free part and a paid fragment bought from the receiver by the script tag through CORS, plus whatever a spec
// puts under `/static/` (global setup builds the React example app into `/static/example/`).
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

export type ContentSite = { url: string; close(): Promise<void> };

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

/**
 * `receiver()` gives the receiver's URL and `chainScript()` the site's `window.microRaidenConfig` script (the test
 * chain's RPC URL): both known only once the receiver is up, which needs this site's origin for its CORS first.
 */
export async function startContentSite(parameters: {
  receiver: () => string;
  chainScript: () => string;
  staticDir: string;
}): Promise<ContentSite> {
  const post = (id: string) => {
    const receiver = parameters.receiver();
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Post ${id} — a static blog</title>
<style>body { max-width: 42rem; margin: 2rem auto; font: 18px/1.6 Georgia, serif; } p { color: rgb(10, 20, 30); }</style>
</head><body><p><a href="/">A static blog</a></p><h1>Post ${id}</h1>
<p id="free-part">The first part of this post is free, on a static site of its own.</p>
<div id="paid-part" data-micro-raiden-src="${receiver}/magazine/${id}"><p>The rest of this post is for paying readers.</p></div>
<script>${parameters.chainScript()}</script>
<script src="${receiver}/micro-raiden/paywall.js" async></script></body></html>`;
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? "/", "http://site").pathname;
      const postId = /^\/posts\/(\d+)$/.exec(path)?.[1];
      if (postId) {
        response.writeHead(200, { "content-type": types[".html"] });
        return response.end(post(postId));
      }
      if (path.startsWith("/static/")) {
        const relative = normalize(path.slice("/static/".length)).replace(/^(\.\.[/\\])+/, "");
        const file = join(
          parameters.staticDir,
          relative.endsWith("/") || relative === "." ? `${relative}/index.html` : relative,
        );
        const body = await readFile(file).catch(() => undefined);
        if (body) {
          response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
          return response.end(body);
        }
      }
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
