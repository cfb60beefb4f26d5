// The browser builds of the widget, one per mode (`vite build --mode <mode>`; `npm run build:browser -w widget`
// runs the first two):
//   paywall  widget/dist/browser/paywall.js           the script tag's first script: one small classic script (IIFE)
//            widget/dist/browser/chunks/*.<hash>.js   the widget it imports: ES module chunks named by their content
//   paywall-react                                     the same with React itself instead of Preact (bench:bundle)
//   sw       widget/dist/browser/micro-raiden-sw.js   the Service Worker the receiver serves at its site root
//   example  widget/dist/example/                     the React example app (widget/example/)
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { build, defaultClientConditions, defineConfig, type Plugin, type Rolldown, type UserConfig } from "vite";

const widget = (path: string) => fileURLToPath(new URL(`./widget/${path}`, import.meta.url));

// Inside the repo every package resolves to its TypeScript sources, as in Node and the tests.
const conditions = ["@micro-raiden/source", ...defaultClientConditions];

// The script tag renders the widget with Preact's React compatibility layer: the same components, a tenth of
// react-dom's size. Only this build is aliased; the package and the example use the host's React.
const preactCompat = [
  { find: /^react-dom\/client$/, replacement: "preact/compat/client" },
  { find: /^react-dom$/, replacement: "preact/compat" },
  { find: /^react\/jsx-runtime$/, replacement: "preact/jsx-runtime" },
  { find: /^react\/jsx-dev-runtime$/, replacement: "preact/jsx-dev-runtime" },
  { find: /^react$/, replacement: "preact/compat" },
  // wagmi's hooks import this CommonJS package, whose require("react") kept all of preact/compat: an ES module twin.
  {
    find: /^use-sync-external-store\/shim\/with-selector(\.js)?$/,
    replacement: widget("src/tag/useSyncExternalStoreWithSelector.ts"),
  },
];

/**
 * viem modules the script tag never reaches, replaced by widget/src/tag/unreachedViemFeatures.ts (which says why
 * for each): CCIP-Read lookups in `call`, @noble/curves for EIP-7702 authorization recovery, and the local-account
 * path of `sendTransaction`. Only at the one import that brings each into the tag: viem's barrels and any other
 * importer keep the real modules, and a viem release that moves these imports only costs the bytes back (bench:bundle
 * shows it).
 */
function unreachedViemFeatures(): Plugin {
  const replaced: Record<string, readonly string[]> = {
    "viem/_esm/actions/public/call.js": ["../../utils/ccip.js"],
    "viem/_esm/utils/signature/recoverPublicKey.js": ["@noble/curves/secp256k1"],
    "viem/_esm/actions/wallet/sendTransaction.js": ["./prepareTransactionRequest.js", "./sendRawTransaction.js"],
  };
  const importers = Object.entries(replaced);
  return {
    name: "micro-raiden:unreached-viem-features",
    enforce: "pre",
    resolveId(source, importer) {
      const replace = importers.some(
        ([from, specifiers]) => importer?.endsWith(`/node_modules/${from}`) && specifiers.includes(source),
      );
      return replace ? widget("src/tag/unreachedViemFeatures.ts") : null;
    },
  };
}

/**
 * In a one-file IIFE every `import()` is inlined anyway, but left lazy it makes the bundler wrap the imported module
 * and all it imports in lazy initializers (some 220 of viem's modules, through its tempo chain's and `call`'s lazy
 * imports) and keep the imported namespace whole (schnorr and hash-to-curve with @noble/curves' secp256k1). The
 * lazy imports in what we ship are destructurings (`const { a, b } = await import("x");`): they become static
 * imports (appended, so no line moves).
 */
function staticLazyImports(): Plugin {
  const lazyImport = /const \{ ([\w$]+(?:, [\w$]+)*) \} = await import\((["'])([^"']+)\2\);/g;
  return {
    name: "micro-raiden:static-lazy-imports",
    transform(code, id) {
      if (!id.includes("/node_modules/") || !code.includes("await import(")) return null;
      const imports: string[] = [];
      const rewritten = code.replace(lazyImport, (_statement, names: string, _quote, specifier: string) => {
        const bindings = names.split(", ").map((name) => ({ name, local: `__static${imports.length}_${name}` }));
        imports.push(
          `import { ${bindings.map((b) => `${b.name} as ${b.local}`).join(", ")} } from ${JSON.stringify(specifier)};`,
        );
        return `const ${bindings.map((b) => `${b.name} = ${b.local}`).join(", ")};`;
      });
      return imports.length === 0 ? null : { code: `${rewritten}\n${imports.join("\n")}\n`, map: null };
    },
  };
}

/** One self-contained classic script: IIFE, production React, no chunks (a script tag cannot load siblings). */
function browserScript(entry: string, fileName: string, aliases: typeof preactCompat = []): UserConfig {
  return {
    plugins: [react(), staticLazyImports(), unreachedViemFeatures()],
    resolve: { conditions, alias: aliases },
    // A library build leaves process.env.NODE_ENV alone: without this the bundle ships React's development build.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir: widget("dist/browser"),
      emptyOutDir: false,
      copyPublicDir: false,
      target: "es2022",
      sourcemap: true,
      lib: { entry, formats: ["iife"], name: "microRaidenBundle", fileName: () => fileName },
    },
  };
}

/** Where the script tag's widget chunks go, beside the first script; the receiver serves them from there too. */
const chunksDir = "chunks";

/**
 * The script tag: the widget (src/tag/widget.tsx) built first as ES module chunks named by their content hash, then
 * the first script (src/tag/paywall.ts), which a classic `<script async>` runs and which imports the widget's entry
 * chunk by the name this build gives it (`__MICRO_RAIDEN_WIDGET_CHUNK__`, relative to the script's own URL). The
 * chunks join the first script's output, so one build (in memory or on disk) has every file the tag can load.
 */
async function scriptTag(aliases: typeof preactCompat): Promise<UserConfig> {
  const chunk = browserScript(widget("src/tag/widget.tsx"), "", aliases);
  const result = await build({
    ...chunk,
    configFile: false,
    logLevel: "warn",
    build: {
      ...chunk.build,
      write: false,
      // An app build rather than a library one: Vite does not minify a library's ES output. Its exports are the API.
      lib: false,
      modulePreload: false,
      rolldownOptions: {
        input: widget("src/tag/widget.tsx"),
        preserveEntrySignatures: "exports-only",
        output: {
          format: "es",
          entryFileNames: `${chunksDir}/widget.[hash].js`,
          chunkFileNames: `${chunksDir}/[name].[hash].js`,
          hashCharacters: "hex",
        },
      },
    },
  });
  const files = (Array.isArray(result) ? result : [result]).flatMap(
    (output) => (output as Rolldown.RolldownOutput).output,
  );
  const entry = files.find((file) => file.type === "chunk" && file.isEntry);
  if (!entry) throw new Error("vite.config.ts: the widget chunk build produced no entry chunk.");
  const tag = browserScript(widget("src/tag/paywall.ts"), "paywall.js", aliases);
  return {
    ...tag,
    plugins: [...(tag.plugins ?? []), emitWidgetChunks(files)],
    define: { ...tag.define, __MICRO_RAIDEN_WIDGET_CHUNK__: JSON.stringify(`./${entry.fileName}`) },
  };
}

/** Adds the widget's chunks (and their source maps) to the first script's output, replacing those of an earlier build. */
function emitWidgetChunks(files: (Rolldown.OutputChunk | Rolldown.OutputAsset)[]): Plugin {
  let outDir: string | undefined;
  return {
    name: "micro-raiden:widget-chunks",
    configResolved(config) {
      if (config.build.write) outDir = config.build.outDir;
    },
    async buildStart() {
      // Only this build's chunks: what the budget test and bench:bundle count is what the first script can load.
      if (outDir) await rm(join(outDir, chunksDir), { recursive: true, force: true });
    },
    generateBundle() {
      for (const file of files) {
        if (file.type === "asset") {
          this.emitFile({ type: "asset", fileName: file.fileName, source: file.source });
          continue;
        }
        const mapName = `${file.fileName}.map`;
        const code = file.map
          ? `${file.code}\n//# sourceMappingURL=${mapName.slice(chunksDir.length + 1)}\n`
          : file.code;
        this.emitFile({ type: "asset", fileName: file.fileName, source: code });
        if (file.map) this.emitFile({ type: "asset", fileName: mapName, source: file.map.toString() });
      }
    },
  };
}

export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  switch (mode) {
    case "paywall":
      return scriptTag(preactCompat);
    case "paywall-react":
      return scriptTag([]);
    case "sw":
      return browserScript(widget("src/serviceWorker/worker.ts"), "micro-raiden-sw.js");
    case "example":
      return {
        root: widget("example"),
        // Served under /example/ by the demo's content site (npm start), whose origin the receiver's CORS lists.
        base: "./",
        plugins: [react()],
        resolve: { conditions },
        // The example bundles React, wagmi and viem in one app chunk, as a small app would; no split to advise.
        build: { outDir: widget("dist/example"), emptyOutDir: true, chunkSizeWarningLimit: 1000 },
      };
    default:
      throw new Error(
        `vite.config.ts: pick a build with --mode paywall, paywall-react, sw or example (got "${mode}").`,
      );
  }
});
