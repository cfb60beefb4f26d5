// `npm run bench:bundle` (builds first): the sizes of what the widget package ships, read from dist/ as npm pack
// takes it — raw, gzip and brotli, against the issue's targets. The script tag is its first script (what a reader
// waits for before the price) and everything it can load (that script and the widget chunks it imports, each
// compressed on its own and added up); the Service Worker is the file itself. The ESM entries are what an app's bundler adds on top of the dependencies it
// already has: the entry and the package modules it imports, minified, react/wagmi/viem/TanStack/web-client external.
// One row is not shipped: the script tag rendered with React 19 instead of Preact compat, for comparison.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build, type Rolldown } from "vite";
import { browserFileBudgets, kb, measure, measureFiles, type Size, sum } from "./sizes.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/** The chunks' code of an in-memory Vite build, with the ids of the modules they hold, and its script files' sizes. */
async function buildInMemory(
  config: Parameters<typeof build>[0],
): Promise<{ code: string; modules: string[]; scripts: Size }> {
  const result = await build({ ...config, logLevel: "silent" });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const files = outputs.flatMap((output) => output.output);
  const chunks = files.filter((file): file is Rolldown.OutputChunk => file.type === "chunk");
  // The script tag's widget chunks join its build as files (vite.config.ts): counted with the chunks.
  const scripts = files
    .filter((file) => file.fileName.endsWith(".js"))
    .map((file) => measure(file.type === "chunk" ? file.code : file.source));
  return {
    code: chunks.map((chunk) => chunk.code).join("\n"),
    modules: chunks.flatMap((c) => Object.keys(c.modules)),
    scripts: sum(scripts),
  };
}

/** What a host app already has (or gets from npm beside the widget): left out of the ESM figures. */
const external = (id: string) =>
  /^(react|react-dom|wagmi|viem|@tanstack|@wagmi|@micro-raiden\/web-client)(\/|$)/.test(id);

/** A built ESM entry of dist/: its modules as emitted (what npm ships) and minified into one chunk. */
async function esmEntry(entry: string): Promise<{ emitted: Size; minified: Size }> {
  const { code, modules } = await buildInMemory({
    configFile: false,
    build: {
      write: false,
      sourcemap: false,
      lib: { entry: `${dist}${entry}`, formats: ["es"], fileName: () => "entry.js" },
      rolldownOptions: { external },
    },
  });
  const files = await Promise.all(modules.filter((id) => id.startsWith(dist)).map((id) => readFile(id)));
  return { emitted: measure(Buffer.concat(files)), minified: measure(code) };
}

function row(name: string, size: Size, targetGzipKb?: number) {
  const target =
    targetGzipKb === undefined
      ? ""
      : `≤ ${targetGzipKb} kB gzip: ${size.gzip <= targetGzipKb * 1000 ? "met" : "MISSED"}`;
  console.log(
    `${name.padEnd(56)} ${kb(size.raw).padStart(10)} ${kb(size.gzip).padStart(10)} ${kb(size.brotli).padStart(10)}  ${target}`,
  );
}

console.log(
  `${"artifact (dist/)".padEnd(56)} ${"raw".padStart(10)} ${"gzip".padStart(10)} ${"brotli".padStart(10)}  target`,
);
for (const { name, files: patterns, gzipKb } of browserFileBudgets) {
  const { files, size } = await measureFiles(dist, patterns);
  row(`${name}, ${files.length === 1 ? files[0] : `${files.length} files`}`, size, gzipKb);
}
for (const [name, entry] of [
  ["@micro-raiden/widget", "index.js"],
  ["@micro-raiden/widget/navigation", "navigation/index.js"],
] as const) {
  const { emitted, minified } = await esmEntry(entry);
  row(`${name}, emitted modules`, emitted);
  row(`${name}, minified, deps external`, minified);
}
const react = await buildInMemory({
  configFile: `${root}vite.config.ts`,
  mode: "paywall-react",
  build: { write: false, sourcemap: false },
});
row("script tag with React 19, all it can load (not shipped)", react.scripts);
