// The script tag's second part: the widget itself (Preact, wagmi, viem, the channel client), an ES module chunk the
// build names by its content (vite.config.ts, mode "paywall") and puts in `chunks/` beside the script. The first script
// draws the price and the Connect step from the page alone; this loads when the reader acts, or when the browser is
// idle, or at once where nothing can be drawn without it.
import { handedOverModules } from "./handedOverModules.ts";
import { handOver } from "./handOver.ts";
import type * as Widget from "./widget.tsx";

export type { Widget };

/** The chunk's path relative to the script, set by the build. */
declare const __MICRO_RAIDEN_WIDGET_CHUNK__: string;

// Read while the script runs: `document.currentScript` is null once it has returned (as in any later callback). A
// copy of the script bundled into a site's own code falls back to the receiver's path for it.
const scriptUrl =
  document.currentScript instanceof HTMLScriptElement && document.currentScript.src
    ? document.currentScript.src
    : new URL("/micro-raiden/paywall.js", document.baseURI).href;

let loading: Promise<typeof Widget> | undefined;

/** The widget chunk, imported once (a failed import is tried again on the next call). */
export function loadWidget(): Promise<typeof Widget> {
  const chunkUrl = new URL(__MICRO_RAIDEN_WIDGET_CHUNK__, scriptUrl).href;
  handOver(chunkUrl, handedOverModules);
  loading ??= (import(/* @vite-ignore */ chunkUrl) as Promise<typeof Widget>).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Calls `run` when the browser has nothing better to do (at the latest after two seconds). */
export function whenIdle(run: () => void): void {
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
