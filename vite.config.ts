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
];

/**
 * The script tag's wagmi and TanStack Query: the parts the widget uses (widget/src/tag/wagmiSubset and querySubset,
 * the same behaviour, a fifth of the bytes). Only the tag's build is aliased: the React package and the example keep
 * the real libraries, which a React app shares with the widget (its wagmi config, its query client).
 */
const tagSubsets = [
  { find: /^wagmi$/, replacement: widget("src/tag/wagmiSubset/index.ts") },
  { find: /^@tanstack\/react-query$/, replacement: widget("src/tag/querySubset/index.ts") },
];

/**
 * viem modules the script tag never reaches, replaced by widget/src/tag/unreachedViemFeatures.ts (which says why
 * for each): CCIP-Read lookups in `call`, the contract bytecode of deployless calls and deployless multicall,
 * @noble/curves for EIP-7702 authorization recovery, and the local-account path of `sendTransaction`. Only at the one import that brings each into the tag: viem's barrels and any other
 * importer keep the real modules, and a viem release that moves these imports only costs the bytes back (bench:bundle
 * shows it).
 */
function unreachedViemFeatures(): Plugin {
  const replaced: Record<string, readonly string[]> = {
    "viem/_esm/actions/public/call.js": ["../../utils/ccip.js", "../../constants/contracts.js"],
    "viem/_esm/actions/public/multicall.js": ["../../constants/contracts.js"],
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

/** A module of the first script and the names of its exports the first script keeps (and so can hand over). */
type HandedOver = { id: string; names: string[] };

/** The files of one or more Vite builds' output. */
const outputFiles = (result: Awaited<ReturnType<typeof build>>) =>
  (Array.isArray(result) ? result : [result]).flatMap((output) => (output as Rolldown.RolldownOutput).output);

/**
 * The modules of the first script the widget chunk may take from it (src/tag/handOver.ts): every module whose code
 * the first script keeps, with the exports it keeps, read from a build of the first script in memory. Not the hand-over
 * modules themselves (the chunk needs its own `handedOver` to take the rest).
 */
async function firstScriptModules(aliases: typeof preactCompat): Promise<HandedOver[]> {
  const tag = browserScript(widget("src/tag/paywall.ts"), "paywall.js", aliases);
  const result = await build({
    ...tag,
    configFile: false,
    logLevel: "warn",
    define: { ...tag.define, __MICRO_RAIDEN_WIDGET_CHUNK__: JSON.stringify("") },
    build: { ...tag.build, write: false, sourcemap: false },
  });
  const script = outputFiles(result).find((file) => file.type === "chunk" && file.isEntry) as Rolldown.OutputChunk;
  const own = [widget("src/tag/handOver.ts"), widget("src/tag/handedOverModules.ts")];
  return Object.entries(script.modules)
    .filter(([id, module]) => module.renderedExports.length > 0 && !id.startsWith("\0") && !own.includes(id))
    .map(([id, module]) => ({ id, names: [...module.renderedExports].sort() }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * In the first script's build: src/tag/handedOverModules.ts becomes the list of the modules in `handedOver`, each an
 * object of the exports the widget chunk takes from it (in that order: the chunk asks for them by number).
 */
function handOverFirstScriptModules(handedOver: HandedOver[]): Plugin {
  const list = widget("src/tag/handedOverModules.ts");
  return {
    name: "micro-raiden:hand-over-first-script-modules",
    load(id) {
      if (id !== list) return null;
      const imports = handedOver.map(
        ({ id, names }, index) =>
          `import { ${names.map((name) => `${name} as m${index}_${name}`).join(", ")} } from ${JSON.stringify(id)};`,
      );
      const modules = handedOver.map(
        ({ names }, index) => `{ ${names.map((name) => `${name}: m${index}_${name}`).join(", ")} }`,
      );
      return `${imports.join("\n")}\nexport const handedOverModules = [${modules.join(", ")}];\n`;
    },
  };
}

/**
 * In the widget chunk's build: an import of a module the first script hands over takes the names it keeps from the
 * first script's instance, and only the rest from the chunk's own copy (an `export *` the named exports shadow), so
 * the chunk carries none of the code the first script already brought. A module with state of its own must not be
 * split between the two instances (each half would keep its own state): one that is, and holds a top-level `let`,
 * `var` or `const … = new …` (a Map, a cache), stops the build unless it is listed here with the reason it is safe.
 */
function takeFirstScriptModules(handedOver: HandedOver[]): Plugin {
  const byId = new Map(handedOver.map((module, index) => [module.id, { ...module, index }]));
  const prefix = "\0micro-raiden-handed-over:";
  const splitSafely: Record<string, string> = {
    // Its one `let` caches the last snapshot it parsed, keyed by the stored text: each instance reads localStorage.
    [widget("src/components/statusSnapshotStore.ts")]: "a cache keyed by the stored text",
    // A bounded cache of addresses it checksummed: each instance fills its own.
    [fileURLToPath(new URL("./web-client/src/protocol/wire.ts", import.meta.url))]: "a cache of checksummed addresses",
  };
  return {
    name: "micro-raiden:take-first-script-modules",
    // Before Vite's own resolution, which would otherwise answer first for most imports.
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (importer?.startsWith(prefix)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && byId.has(resolved.id) ? `${prefix}${resolved.id}` : resolved;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const module = byId.get(id.slice(prefix.length));
      if (!module) return null;
      return [
        `import { handedOver as __microRaidenHandedOver } from ${JSON.stringify(widget("src/tag/handOver.ts"))};`,
        `export const { ${module.names.join(", ")} } = __microRaidenHandedOver(import.meta.url, ${module.index});`,
        `export * from ${JSON.stringify(module.id)};`,
      ].join("\n");
    },
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== "chunk") continue;
        for (const [id, rendered] of Object.entries(file.modules)) {
          if (!byId.has(id) || rendered.renderedLength === 0 || splitSafely[id]) continue;
          if (/^(?:let|var) |^const [\w$]+ = new /m.test(this.getModuleInfo(id)?.code ?? "")) {
            this.error(
              `${id} keeps state in a top-level variable and is split between the first script and the chunk (${rendered.renderedExports.join(", ")} come from its copy).`,
            );
          }
        }
      }
    },
  };
}

/**
 * The script tag: the modules the first script keeps (src/tag/paywall.ts, built in memory), then the widget
 * (src/tag/widget.tsx) built as ES module chunks named by their content hash that take those modules from the first
 * script, then the first script itself, which a classic `<script async>` runs, which hands them over and imports the
 * widget's entry chunk by the name this build gives it (`__MICRO_RAIDEN_WIDGET_CHUNK__`, relative to the script's own
 * URL). The chunks join the first script's output, so one build (in memory or on disk) has every file the tag can load.
 */
async function scriptTag(reactAliases: typeof preactCompat): Promise<UserConfig> {
  const aliases = [...reactAliases, ...tagSubsets];
  const handedOver = await firstScriptModules(aliases);
  const chunk = browserScript(widget("src/tag/widget.tsx"), "", aliases);
  const result = await build({
    ...chunk,
    plugins: [...(chunk.plugins ?? []), takeFirstScriptModules(handedOver)],
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
  const files = outputFiles(result);
  const entry = files.find((file) => file.type === "chunk" && file.isEntry);
  if (!entry) throw new Error("vite.config.ts: the widget chunk build produced no entry chunk.");
  const tag = browserScript(widget("src/tag/paywall.ts"), "paywall.js", aliases);
  return {
    ...tag,
    plugins: [...(tag.plugins ?? []), handOverFirstScriptModules(handedOver), emitWidgetChunks(files)],
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
