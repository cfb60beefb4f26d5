// The browser builds of the widget, one per mode (`vite build --mode <mode>`; `npm run build:browser -w widget`
// runs the first two):
//   paywall  widget/dist/browser/paywall.js           the script tag: one IIFE with everything inside
//   paywall-react                                     the same with React itself instead of Preact (bench:bundle)
//   sw       widget/dist/browser/micro-raiden-sw.js   the Service Worker the receiver serves at its site root
//   example  widget/dist/example/                     the React example app (widget/example/)
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig, type Plugin, type UserConfig } from "vite";

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

export default defineConfig(({ mode }): UserConfig => {
  switch (mode) {
    case "paywall":
      return browserScript(widget("src/tag/paywall.tsx"), "paywall.js", preactCompat);
    case "paywall-react":
      return browserScript(widget("src/tag/paywall.tsx"), "paywall.js");
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
