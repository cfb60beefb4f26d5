import type { HandedOverModule } from "./handOver.ts";

/**
 * The modules the first script hands to its widget chunk (handOver.ts). Empty here: the script tag's build
 * (vite.config.ts, `handOverFirstScriptModules`) replaces this module with the list its widget chunk was built for.
 */
export const handedOverModules: readonly HandedOverModule[] = [];
