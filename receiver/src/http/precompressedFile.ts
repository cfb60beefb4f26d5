import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { CompressedCoding } from "./negotiateEncoding.ts";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One coding of the file: its bytes and its strong ETag (each coding is its own representation). */
export type EncodedBody = { body: Uint8Array<ArrayBuffer>; etag: string };

/** A file's bytes as they are and compressed, read and compressed once per version of the file. */
export type PrecompressedFile = {
  /** The first 16 hex digits of the SHA-256 of the file's bytes: names this version in a URL. */
  hash: string;
  identity: EncodedBody;
  /** Only the codings that came out smaller than the file. */
  compressed: Partial<Record<CompressedCoding, EncodedBody>>;
};

/**
 * A file served from memory in identity, brotli and gzip. `load()` checks the file's size and modification time and
 * reads and compresses it again only when they changed, so a rebuild needs no restart and a request never
 * compresses; requests that arrive while a version is being compressed wait for that one compression. Compression
 * runs on libuv's thread pool (brotli at quality 11 takes about a second for the 380 kB script tag), never on the
 * event loop that answers payments.
 *
 * @example
 * const script = precompressedFile("dist/browser/paywall.js");
 * const file = await script.load(); // undefined until the file exists
 */
export function precompressedFile(path: string) {
  let current: { version: string; file: Promise<PrecompressedFile | undefined> } | undefined;
  let latest: PrecompressedFile | undefined;
  return {
    async load(): Promise<PrecompressedFile | undefined> {
      const found = await stat(path).catch(undefinedIfMissing);
      if (!found) {
        current = undefined;
        latest = undefined;
        return undefined;
      }
      // Stat before reading: if the file changes while it is read, the next load sees a newer version and reads again.
      const version = `${found.mtimeMs}:${found.size}`;
      if (current?.version !== version) {
        const loading = { version, file: readAndCompress(path) };
        current = loading;
        loading.file.then(
          (file) => {
            if (current === loading) latest = file;
          },
          () => {
            // A failed read is retried by the next load, not remembered.
            if (current === loading) current = undefined;
          },
        );
      }
      return current.file;
    },
    /** The version the last finished load found, without touching the disk. */
    latest(): PrecompressedFile | undefined {
      return latest;
    },
  };
}

async function readAndCompress(path: string): Promise<PrecompressedFile | undefined> {
  const bytes = await readFile(path).catch(undefinedIfMissing);
  if (!bytes) return undefined;
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  const compressed: PrecompressedFile["compressed"] = {};
  // A tiny file can come out larger compressed; then it is not worth a coding.
  if (br.length < bytes.length) compressed.br = { body: new Uint8Array(br), etag: `"${hash}-br"` };
  if (gz.length < bytes.length) compressed.gzip = { body: new Uint8Array(gz), etag: `"${hash}-gzip"` };
  return { hash, identity: { body: new Uint8Array(bytes), etag: `"${hash}"` }, compressed };
}

function undefinedIfMissing(error: unknown): undefined {
  if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
  throw error;
}
