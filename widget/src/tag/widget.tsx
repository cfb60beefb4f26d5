// The script tag's second chunk: the widget's mounts, loaded by the first script (loadWidget.ts) and never by a page
// itself. Everything heavy is in here: Preact, wagmi, viem, TanStack Query and the channel client.
export { mount } from "./mount.tsx";
export { mountFragment } from "./mountFragment.tsx";
export { mountStatus } from "./mountStatus.tsx";
