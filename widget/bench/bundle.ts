// `npm run bench:bundle`: builds each browser artifact with the root vite.config.ts (in memory, nothing written)
// and prints its raw, gzip and brotli sizes against the targets. The script tag and the Service Worker
// have everything inside; the ESM package has its dependencies external (what an app's bundler adds on top).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build, type Rolldown } from "vite";

const root = fileURLToPath(new URL("../../", import.meta.url));
const configFile = `${root}vite.config.ts`;

type Row = { name: string; mode: string; entry: string; targetGzipKb?: number };
const rows: Row[] = [
  { name: "script tag (Preact compat)", mode: "paywall", entry: "widget/src/tag/paywall.tsx", targetGzipKb: 120 },
  { name: "script tag (React 19)", mode: "paywall-react", entry: "widget/src/tag/paywall.tsx" },
  { name: "Service Worker", mode: "sw", entry: "widget/src/serviceWorker/worker.ts", targetGzipKb: 25 },
  { name: "ESM package (deps external)", mode: "package", entry: "widget/src/index.ts" },
];

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

async function measure(mode: string): Promise<{ raw: number; gzip: number; brotli: number }> {
  const result = await build({ configFile, mode, logLevel: "silent", build: { write: false, sourcemap: false } });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const code = outputs
    .flatMap((output) => output.output)
    .filter((file): file is Rolldown.OutputChunk => file.type === "chunk")
    .map((chunk) => chunk.code)
    .join("\n");
  const bytes = Buffer.from(code);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

console.log(`${"artifact".padEnd(30)} ${"raw".padStart(10)} ${"gzip".padStart(10)} ${"brotli".padStart(10)}  target`);
for (const row of rows) {
  if (!existsSync(`${root}${row.entry}`)) {
    console.log(`${row.name.padEnd(30)} not built: ${row.entry} does not exist yet`);
    continue;
  }
  const size = await measure(row.mode);
  const target =
    row.targetGzipKb === undefined
      ? ""
      : `≤ ${row.targetGzipKb} kB gzip: ${size.gzip <= row.targetGzipKb * 1000 ? "met" : "MISSED"}`;
  console.log(
    `${row.name.padEnd(30)} ${kb(size.raw).padStart(10)} ${kb(size.gzip).padStart(10)} ${kb(size.brotli).padStart(10)}  ${target}`,
  );
}
