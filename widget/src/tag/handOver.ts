// What the script tag's first script and its widget chunk both use (viem's hex and address helpers, keccak, the
// messages, the styles, the page's attribute decoders) is downloaded once: the first script hands its own instances
// of those modules to the chunk it imports, and the chunk's build takes them from here instead of carrying copies
// (vite.config.ts, `handOverFirstScriptModules`). Keyed by the chunk's URL, so two different releases of the script on
// one page never hand one's modules to the other's chunk.

/** A module's exports the first script hands over, by name. */
export type HandedOverModule = Readonly<Record<string, unknown>>;

type Registry = Map<string, readonly HandedOverModule[]>;

const registryKey = Symbol.for("micro-raiden.handed-over-modules");

function registry(): Registry {
  const global = globalThis as { [registryKey]?: Registry };
  if (!global[registryKey]) {
    Object.defineProperty(global, registryKey, { value: new Map(), enumerable: false });
  }
  return global[registryKey] as Registry;
}

/** In the first script, before it imports the chunk at `chunkUrl`: the modules the chunk's build takes from it. */
export function handOver(chunkUrl: string, modules: readonly HandedOverModule[]): void {
  if (modules.length > 0) registry().set(chunkUrl, modules);
}

/**
 * In the chunk (its `import.meta.url`): the first script's module number `index`. Throws, naming the chunk, when no
 * first script handed it over (the chunk imported by anything but its own first script).
 */
export function handedOver(chunkUrl: string, index: number): HandedOverModule {
  const module = registry().get(chunkUrl)?.[index];
  if (!module) {
    throw new Error(
      `The micro-raiden widget chunk ${chunkUrl} was loaded without the script tag's first script (paywall.js) that ` +
        "hands it the modules they share: load the chunk only through paywall.js.",
    );
  }
  return module;
}
