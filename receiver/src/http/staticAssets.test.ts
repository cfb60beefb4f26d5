// The widget's browser files as a browser gets them from the receiver: precompressed by Accept-Encoding, revalidated
// per coding, and the paywall script at a content-hashed URL that the 402 page and the status bar load.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { html } from "hono/html";
import { receiverApp } from "./receiverApp.ts";
import { articlePrice, createTestReceiver, tempDirectory, testRoutes } from "./testReceiver.test-helper.ts";

const dir = tempDirectory();
after(() => dir.cleanup());

/**
 * A script big and repetitive enough to compress, like a bundle. Each `version` differs in bytes and in size, so a
 * rewrite is seen as a rebuild even where file times are coarse.
 */
function bundle(version: number): Buffer {
  const lines = Array.from({ length: 2000 }, (_, i) => `export const value${i} = "release ${version}, line ${i}";`);
  return Buffer.from(`${lines.join("\n")}\n//${" ".repeat(version)}\n`);
}

const decoders: Record<string, (bytes: Uint8Array) => Buffer> = {
  br: (bytes) => brotliDecompressSync(bytes),
  gzip: (bytes) => gunzipSync(bytes),
  identity: (bytes) => Buffer.from(bytes),
};

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

function hashedPathIn(page: string): string {
  return (
    /<script src="(\/micro-raiden\/paywall\.[0-9a-f]{16}\.js)" async><\/script>/.exec(page)?.[1] ?? assert.fail(page)
  );
}

describe("the widget's files, precompressed", () => {
  const t = createTestReceiver();
  const worker = join(dir.path, "micro-raiden-sw.js");
  const script = join(dir.path, "paywall.js");
  const app = receiverApp({
    receiver: t.receiver,
    routes: testRoutes,
    serviceWorkerFile: worker,
    paywallScriptFile: script,
  });
  const files = [
    { path: "/micro-raiden-sw.js", file: worker, cacheControl: "no-cache" },
    { path: "/micro-raiden/paywall.js", file: script, cacheControl: "public, max-age=300" },
  ];

  for (const { path, file, cacheControl } of files) {
    it(`serves ${path} in brotli, gzip or as it is, each decoding to the file's exact bytes`, async () => {
      const original = bundle(1);
      await writeFile(file, original);
      for (const coding of ["br", "gzip", "identity"]) {
        const response = await app.request(path, { headers: { "accept-encoding": coding } });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-encoding"), coding === "identity" ? null : coding);
        assert.equal(response.headers.get("vary"), "Accept-Encoding");
        assert.equal(response.headers.get("cache-control"), cacheControl);
        assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
        const body = await bytesOf(response);
        assert.equal(response.headers.get("content-length"), String(body.byteLength));
        assert.deepEqual(decoders[coding]?.(body), original, coding);
        if (coding !== "identity") assert.ok(body.byteLength < original.byteLength / 4, `${coding} compresses`);
      }
    });
  }

  it("serves the file as it is to a client that names no encoding, still varying on it", async () => {
    const original = bundle(2);
    await writeFile(script, original);
    const response = await app.request("/micro-raiden/paywall.js");
    assert.equal(response.headers.get("content-encoding"), null);
    assert.equal(response.headers.get("vary"), "Accept-Encoding");
    assert.equal(response.headers.get("content-length"), String(original.byteLength));
    assert.deepEqual(Buffer.from(await bytesOf(response)), original);
  });

  it("follows the q-values of Accept-Encoding", async () => {
    await writeFile(script, bundle(3));
    const cases: [string, string | null][] = [
      ["gzip, deflate, br, zstd", "br"], // Chromium's: the smaller wins a tie
      ["br;q=0.5, gzip", "gzip"],
      ["gzip;q=0.2, BR;q=0.8", "br"],
      ["x-gzip", "gzip"],
      ["*", "br"],
      ["br;q=0, *;q=0.3", "gzip"],
      ["br;q=0, gzip;q=0", null],
      ["identity;q=1, gzip;q=0.5", null],
      ["deflate, zstd", null],
      ["", null],
    ];
    for (const [acceptEncoding, expected] of cases) {
      const response = await app.request("/micro-raiden/paywall.js", {
        headers: { "accept-encoding": acceptEncoding },
      });
      assert.equal(response.headers.get("content-encoding"), expected, acceptEncoding);
    }
  });

  it("gives each encoding its own ETag and answers If-None-Match with 304 for the one it would send", async () => {
    await writeFile(worker, bundle(4));
    const etags = new Map<string, string>();
    for (const coding of ["br", "gzip", "identity"]) {
      const response = await app.request("/micro-raiden-sw.js", { headers: { "accept-encoding": coding } });
      etags.set(coding, response.headers.get("etag") ?? assert.fail(`no ETag for ${coding}`));
    }
    assert.equal(new Set(etags.values()).size, 3, "one ETag per encoding");
    for (const [coding, etag] of etags) {
      const again = await app.request("/micro-raiden-sw.js", {
        headers: { "accept-encoding": coding, "if-none-match": etag },
      });
      assert.equal(again.status, 304, coding);
      assert.equal(again.headers.get("etag"), etag);
      assert.equal(again.headers.get("vary"), "Accept-Encoding");
      assert.equal(again.headers.get("cache-control"), "no-cache", "the worker is always checked again");
      assert.equal((await bytesOf(again)).byteLength, 0);
    }
    // A cache holding the gzip copy asks for brotli: it gets the brotli body, not a 304 for bytes it lacks.
    const other = await app.request("/micro-raiden-sw.js", {
      headers: { "accept-encoding": "br", "if-none-match": etags.get("gzip") ?? "" },
    });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("content-encoding"), "br");
  });

  it("serves a file too small to gain from compression as it is", async () => {
    await writeFile(worker, "self.v=1;");
    const response = await app.request("/micro-raiden-sw.js", { headers: { "accept-encoding": "br, gzip" } });
    assert.equal(response.headers.get("content-encoding"), null);
    assert.equal(await response.text(), "self.v=1;");
  });
});

describe("the paywall script at its content-hashed URL", () => {
  const t = createTestReceiver();
  const script = join(dir.path, "hashed-paywall.js");
  const app = receiverApp({
    receiver: t.receiver,
    paywallScriptFile: script,
    routes: (app, context) => {
      testRoutes(app, context);
      app.get("/pages/:n", context.paywall({ price: articlePrice }), (c) =>
        c.html(html`<!doctype html><body>${context.channelStatusBar(c)}<article>Paid page</article></body>`),
      );
    },
  });
  const page402 = async () => (await app.request("/articles/1", { headers: { accept: "text/html" } })).text();

  it("is what the 402 page loads, cached for a year in every encoding", async () => {
    const original = bundle(10);
    await writeFile(script, original);
    const path = hashedPathIn(await page402());
    const hash = createHash("sha256").update(original).digest("hex").slice(0, 16);
    assert.equal(path, `/micro-raiden/paywall.${hash}.js`, "the hash of the file's bytes");
    for (const coding of ["br", "gzip", "identity"]) {
      const response = await app.request(path, { headers: { "accept-encoding": coding } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.equal(response.headers.get("vary"), "Accept-Encoding");
      assert.deepEqual(decoders[coding]?.(await bytesOf(response)), original, coding);
    }
    const plain = await app.request("/micro-raiden/paywall.js");
    assert.equal(plain.headers.get("cache-control"), "public, max-age=300", "the stable URL keeps its short cache");
  });

  it("is what a paid page's status bar loads", async () => {
    await writeFile(script, bundle(11));
    const path = hashedPathIn(await page402());
    const channel = t.openChannel();
    const paid = await app.request("/pages/1", {
      headers: { ...t.paymentHeaders(await t.sign(channel, articlePrice)), accept: "text/html" },
    });
    assert.equal(paid.status, 200);
    assert.equal(hashedPathIn(await paid.text()), path);
  });

  it("moves to a new hash when the file is rebuilt; the old URL leads to the new script", async () => {
    await writeFile(script, bundle(12));
    const before = hashedPathIn(await page402());
    const rebuilt = bundle(13);
    await writeFile(script, rebuilt);
    const after = hashedPathIn(await page402());
    assert.notEqual(after, before);
    const current = await app.request(after, { headers: { "accept-encoding": "gzip" } });
    assert.deepEqual(gunzipSync(await bytesOf(current)), rebuilt);

    // A page rendered before the rebuild: its script is redirected to the current one, and that redirect not kept.
    const stale = await app.request(before);
    assert.equal(stale.status, 307);
    assert.equal(stale.headers.get("location"), after);
    assert.equal(stale.headers.get("cache-control"), "no-cache");
  });

  it("answers 404 at any hashed URL while the file is not built, and the 402 page names the stable URL", async () => {
    const missing = receiverApp({
      receiver: t.receiver,
      routes: testRoutes,
      paywallScriptFile: join(dir.path, "not-built.js"),
    });
    assert.equal((await missing.request("/micro-raiden/paywall.0123456789abcdef.js")).status, 404);
    const page = await (await missing.request("/articles/1", { headers: { accept: "text/html" } })).text();
    assert.match(page, /<script src="\/micro-raiden\/paywall\.js" async><\/script>/);
  });
});

describe("the widget chunks the paywall script imports", () => {
  const t = createTestReceiver();
  const script = join(dir.path, "chunked", "paywall.js");
  const app = receiverApp({ receiver: t.receiver, routes: testRoutes, paywallScriptFile: script });

  it("serves a chunk built beside the script, cached for a year, compressed, readable from any origin", async () => {
    await mkdir(join(dir.path, "chunked", "chunks"), { recursive: true });
    const original = bundle(20);
    await writeFile(join(dir.path, "chunked", "chunks", "widget.0a1b2c3d.js"), original);
    for (const coding of ["br", "gzip", "identity"]) {
      const response = await app.request("/micro-raiden/chunks/widget.0a1b2c3d.js", {
        headers: { "accept-encoding": coding, origin: "https://blog.example" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
      // A content site's page imports it as a module, which the browser fetches through CORS.
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(decoders[coding]?.(await bytesOf(response)), original, coding);
    }
  });

  it("answers 404 for a chunk not built and for any name that is not a chunk's, never a file outside chunks/", async () => {
    await writeFile(join(dir.path, "chunked", "secret.0a1b2c3d.js"), "secret");
    for (const path of [
      "/micro-raiden/chunks/widget.ffffffff.js",
      "/micro-raiden/chunks/..%2Fsecret.0a1b2c3d.js",
      "/micro-raiden/chunks/widget.js",
      "/micro-raiden/chunks/widget.0a1b2c3d.js.map",
    ]) {
      assert.equal((await app.request(path)).status, 404, path);
    }
  });
});
