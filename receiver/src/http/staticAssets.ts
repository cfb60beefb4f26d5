import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { encodeErrorBody } from "@micro-raiden/web-client/protocol";
import { type Context, Hono } from "hono";
import { negotiateEncoding } from "./negotiateEncoding.ts";
import { type PrecompressedFile, precompressedFile } from "./precompressedFile.ts";

/** Where the receiver serves the widget's files. The worker must sit at the root to control every page (scope `/`). */
export const assetPaths = {
  serviceWorker: "/micro-raiden-sw.js",
  paywallScript: "/micro-raiden/paywall.js",
} as const;

/** The paywall script at the URL naming its content: `/micro-raiden/paywall.<16 hex digits>.js`. */
export function hashedPaywallScriptPath(hash: string): string {
  return `/micro-raiden/paywall.${hash}.js`;
}

export type StaticAssetsOptions = {
  /** The built Service Worker file (the widget's `dist/browser/micro-raiden-sw.js`), served at `/micro-raiden-sw.js`. */
  serviceWorkerFile?: string | undefined;
  /**
   * The built script-tag file (the widget's `dist/browser/paywall.js`), served at `/micro-raiden/paywall.<hash>.js`
   * (cached for a year) and at `/micro-raiden/paywall.js` (cached five minutes); the widget chunks it imports, built
   * beside it in `chunks/`, at `/micro-raiden/chunks/<name>.<hash>.js` (cached for a year).
   */
  paywallScriptFile?: string | undefined;
};

/** The assets' Hono app, and the paywall script's current URL for the pages that load it. */
export type StaticAssets = Hono & {
  /**
   * Checks the script file and answers the URL naming its current content (`/micro-raiden/paywall.<hash>.js`), or
   * `/micro-raiden/paywall.js` while it is not built; undefined without `paywallScriptFile`.
   */
  paywallScriptUrl(): Promise<string | undefined>;
  /** The same without touching the disk: the version last read (right after a rebuild, possibly the previous one). */
  latestPaywallScriptUrl(): string | undefined;
};

const immutable = "public, max-age=31536000, immutable";

/**
 * Serves the widget's two browser files from file paths, each precompressed with brotli and gzip and sent in the
 * coding the request's `Accept-Encoding` prefers (`Vary: Accept-Encoding`; identity without one), with an ETag per
 * coding answering `If-None-Match` with 304. The payment Service Worker sits at the site root with
 * `Service-Worker-Allowed: /` and `Cache-Control: no-cache` (browsers check it on every update, so a release
 * replaces an installed worker). The paywall script is served at a URL naming its content hash, cached for a year
 * (`immutable`), which the 402 page and the status bar load; and at `/micro-raiden/paywall.js` with a five-minute
 * public cache, for pages that name it. Files are read and compressed again when they change on disk, so a rebuild
 * needs no restart; a request for an older hash is redirected to the current one.
 *
 * @example
 * import { Hono } from "hono";
 * import { paywall, staticAssets } from "@micro-raiden/receiver";
 * const app = new Hono();
 * const assets = staticAssets({ paywallScriptFile: "dist/browser/paywall.js" });
 * app.route("/", assets);
 * app.get("/a", paywall({ receiver, price: 1n, paywallScript: assets.paywallScriptUrl }), (c) => c.text("a"));
 */
export function staticAssets(options: StaticAssetsOptions): StaticAssets {
  const app = new Hono();
  if (options.serviceWorkerFile) {
    const worker = precompressedFile(options.serviceWorkerFile);
    app.get(assetPaths.serviceWorker, async (c) =>
      serve(c, await worker.load(), { "cache-control": "no-cache", "service-worker-allowed": "/" }),
    );
  }
  const script = options.paywallScriptFile ? precompressedFile(options.paywallScriptFile) : undefined;
  if (script) {
    // Short and public: pages that name this URL get a release within five minutes.
    app.get(assetPaths.paywallScript, async (c) =>
      serve(c, await script.load(), { "cache-control": "public, max-age=300" }),
    );
    app.get("/micro-raiden/:name{paywall\\.[0-9a-f]+\\.js}", async (c) => {
      const file = await script.load();
      if (file && c.req.param("name") !== `paywall.${file.hash}.js`) {
        // A page rendered before a rebuild still gets a script, the current one. The redirect is not cached: the
        // next rebuild moves it again.
        return new Response(null, {
          status: 307,
          headers: { location: hashedPaywallScriptPath(file.hash), "cache-control": "no-cache" },
        });
      }
      return serve(c, file, { "cache-control": immutable });
    });
    // Read and compress at startup, so the first reader does not wait for brotli; a file not built yet is no error.
    script.load().catch(() => {});
    // The widget chunks the script imports (as ES modules: from a content site of another origin, through CORS; they
    // are public code, read without credentials). Their names carry their content hash, so they never change.
    const chunksDir = join(dirname(options.paywallScriptFile ?? ""), "chunks");
    const chunkName = /^[\w-]+\.[0-9a-f]{8,}\.js$/;
    const chunks = new Map<string, ReturnType<typeof precompressedFile>>();
    const chunk = (name: string) => chunks.get(name) ?? precompressedFile(join(chunksDir, name));
    // Those built already are compressed at startup too, as the script is.
    readdir(chunksDir).then(
      (names) => {
        for (const name of names.filter((n) => chunkName.test(n))) chunks.set(name, chunk(name));
        for (const file of chunks.values()) file.load().catch(() => {});
      },
      () => {},
    );
    app.get("/micro-raiden/chunks/:name", async (c) => {
      const name = c.req.param("name");
      if (!chunkName.test(name)) return serve(c, undefined, {});
      const found = chunk(name);
      const file = await found.load();
      // Only files that exist are remembered: a request for any other name costs a stat, never memory.
      if (file) chunks.set(name, found);
      return serve(c, file, { "cache-control": immutable, "access-control-allow-origin": "*" });
    });
  }
  const urlOf = (file: PrecompressedFile | undefined) =>
    file ? hashedPaywallScriptPath(file.hash) : assetPaths.paywallScript;
  return Object.assign(app, {
    paywallScriptUrl: async () => (script ? urlOf(await script.load()) : undefined),
    latestPaywallScriptUrl: () => (script ? urlOf(script.latest()) : undefined),
  });
}

function serve(c: Context, file: PrecompressedFile | undefined, headers: Record<string, string>): Response {
  // Not built (yet): the protocol's JSON 404, as for any other missing path, rather than a 500.
  if (!file) return Response.json(encodeErrorBody("not_found", "This file has not been built."), { status: 404 });
  const coding = negotiateEncoding(c.req.header("accept-encoding"), file.compressed);
  const { body, etag } = coding === "identity" ? file.identity : (file.compressed[coding] ?? file.identity);
  const common = { ...headers, etag, vary: "Accept-Encoding", "x-content-type-options": "nosniff" };
  if (matchesEtag(c.req.header("if-none-match"), etag)) return new Response(null, { status: 304, headers: common });
  return new Response(body, {
    status: 200,
    headers: {
      ...common,
      "content-type": "text/javascript; charset=utf-8",
      "content-length": String(body.byteLength),
      ...(coding === "identity" ? {} : { "content-encoding": coding }),
    },
  });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === etag || tag === "*";
  });
}
