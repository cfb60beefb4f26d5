// How the widget's shipped files are measured and what they may weigh: one definition for `npm run bench:bundle` and
// the size budget test (src/browserFiles.node.test.ts), so the figures the README quotes are the ones the test holds.
import { glob, readFile } from "node:fs/promises";
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

/** Sizes of files each served (and compressed) on its own, added up. */
export const sum = (sizes: Size[]): Size => ({
  raw: sizes.reduce((total, size) => total + size.raw, 0),
  gzip: sizes.reduce((total, size) => total + size.gzip, 0),
  brotli: sizes.reduce((total, size) => total + size.brotli, 0),
});

/** kB as the README and the budgets count them: 1000 bytes. */
export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The browser files' gzip budgets (issue 20), in kB, each over the files its patterns match in dist/ (added up). What
 * a reader downloads before the paywall shows its price is the tag's first script; the widget chunks it imports come
 * when the reader acts or the browser is idle; the worker is fetched again whenever the browser checks it for updates.
 * All the tag can load is held at the issue's 100 kB: it was 136 kB before the widget chunk took the modules the first
 * script carries from it, deployless bytecode became a stand-in and DOMPurify gave way to an allow-list copy (109.1
 * kB), and 92.5 kB once the tag's build swapped wagmi and TanStack Query for the subsets in src/tag/wagmiSubset and
 * src/tag/querySubset (the README says what they leave out). The worker's 25 kB became 26 when it
 * learnt to check a proof a second origin's delegated key signed (the sender's delegation recovered beside the proof)
 * and to send a payment again after a 503 store_unavailable: 26.4 kB with them, 25.0 kB after trimming what it carried
 * for nothing (every error code's prose, viem's toAccount). 27 kB when it learnt to put the payment for the reader's
 * next page in its navigation preload header (25.5 kB before, 26.4 kB with it): the browser then sends a paid page's
 * request paid before the worker has even started, the one lever left for a paid page as fast as a free one.
 */
export const browserFileBudgets = [
  { name: "script tag, first script", files: ["browser/paywall.js"], gzipKb: 30 },
  { name: "script tag, all it can load", files: ["browser/paywall.js", "browser/chunks/*.js"], gzipKb: 100 },
  { name: "Service Worker", files: ["browser/micro-raiden-sw.js"], gzipKb: 27 },
] as const;

/** The files of `dist` that `patterns` match, sorted, and their size added up. */
export async function measureFiles(
  dist: string,
  patterns: readonly string[],
): Promise<{ files: string[]; size: Size }> {
  const files: string[] = [];
  for (const pattern of patterns) {
    for await (const file of glob(pattern, { cwd: dist })) files.push(file);
  }
  files.sort();
  const sizes = await Promise.all(files.map(async (file) => measure(await readFile(`${dist}${file}`))));
  return { files, size: sum(sizes) };
}
