import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";

/** Where the receiver serves the widget's files. The worker must sit at the root to control every page (scope `/`). */
export const assetPaths = {
  serviceWorker: "/micro-raiden-sw.js",
  paywallScript: "/micro-raiden/paywall.js",
} as const;

export type StaticAssetsOptions = {
  /** The built Service Worker file (the widget's `dist/browser/micro-raiden-sw.js`), served at `/micro-raiden-sw.js`. */
  serviceWorkerFile?: string | undefined;
  /** The built script-tag file (the widget's `dist/browser/paywall.js`), served at `/micro-raiden/paywall.js`. */
  paywallScriptFile?: string | undefined;
};

/**
 * Serves the widget's two browser files from file paths: the payment Service Worker at the site root, with
 * `Service-Worker-Allowed: /` and `Cache-Control: no-cache` (so a new release replaces an installed worker on the
 * next update check), and the paywall script with a short public cache. Both carry a content-hash ETag and answer
 * `If-None-Match` with 304. Files are read again when they change on disk, so a rebuild needs no restart.
 *
 * @example
 * import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
 * import { staticAssets } from "@micro-raiden/receiver";
 * const app = new Hono();
 * app.route("/", staticAssets({ serviceWorkerFile: "dist/browser/micro-raiden-sw.js" }));
 */
export function staticAssets(options: StaticAssetsOptions): Hono {
  const app = new Hono();
  const serve = (file: string, headers: Record<string, string>) => {
    const read = cachedFile(file);
    return async (c: { req: { header(name: string): string | undefined } }) => {
      const file = await read();
      // Not built (yet): the protocol's JSON 404, as for any other missing path, rather than a 500.
      if (!file) return Response.json(encodeErrorBody("not_found", "This file has not been built."), { status: 404 });
      const { body, etag } = file;
      const common = { ...headers, etag, "x-content-type-options": "nosniff" };
      if (matchesEtag(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers: common });
      return new Response(body, {
        status: 200,
        headers: { ...common, "content-type": "text/javascript; charset=utf-8" },
      });
    };
  };
  if (options.serviceWorkerFile) {
    app.get(
      assetPaths.serviceWorker,
      serve(options.serviceWorkerFile, { "cache-control": "no-cache", "service-worker-allowed": "/" }),
    );
  }
  if (options.paywallScriptFile) {
    // Short and public: the same file for everyone; a release reaches readers within five minutes.
    app.get(assetPaths.paywallScript, serve(options.paywallScriptFile, { "cache-control": "public, max-age=300" }));
  }
  return app;
}

/** The file's bytes and ETag, read again only when its size or modification time changed. */
function cachedFile(file: string) {
  let cached: { mtimeMs: number; size: number; body: Uint8Array<ArrayBuffer>; etag: string } | undefined;
  return async () => {
    const found = await stat(file).catch((error: unknown) => {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
      throw error;
    });
    if (!found) return undefined;
    const { mtimeMs, size } = found;
    if (cached?.mtimeMs !== mtimeMs || cached.size !== size) {
      const body = new Uint8Array(await readFile(file));
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      cached = { mtimeMs, size, body, etag };
    }
    return cached;
  };
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}
