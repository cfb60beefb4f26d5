// How the widget's shipped files are measured and what they may weigh: one definition for `npm run bench:bundle` and
// the size budget test (src/browserFiles.node.test.ts), so the figures the README quotes are the ones the test holds.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export type Size = { raw: number; gzip: number; brotli: number };

/** Bytes after gzip at level 9: deterministic for the same input, so a budget over it is an exact check. */
export const gzipSize = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

export const measure = (code: string | Uint8Array): Size => {
  const bytes = typeof code === "string" ? Buffer.from(code) : code;
  return {
    raw: bytes.length,
    gzip: gzipSize(bytes),
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

/** kB as the README and the budgets count them: 1000 bytes. */
export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The browser files' gzip budgets (issue 16), in kB. What a reader downloads before the paywall shows is the tag;
 * the worker is fetched again whenever the browser checks it for updates.
 */
export const browserFileBudgets = [
  { name: "script tag", file: "browser/paywall.js", gzipKb: 120 },
  { name: "Service Worker", file: "browser/micro-raiden-sw.js", gzipKb: 25 },
] as const;
