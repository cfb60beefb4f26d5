// The script tag's second chunk: the widget's mounts, loaded by the first script (loadWidget.ts) and never by a page
// itself. Everything heavy is in here: Preact, viem, the channel client, and the tag's wagmi and TanStack Query
// (src/tag/wagmiSubset, src/tag/querySubset: vite.config.ts swaps them in for the packages).
export { mount } from "./mount.tsx";
export { mountFragment } from "./mountFragment.tsx";
export { mountStatus } from "./mountStatus.tsx";
