// The script tag: `<script src="…/micro-raiden/paywall.js" async>`. Built as one IIFE with everything inside
// (vite.config.ts, mode "paywall"). On load it mounts the paywall on the 402 page's #micro-raiden-paywall and every
// paid fragment ([data-micro-raiden-src]), the channel status bar on the receiver's paid pages
// (#micro-raiden-status), and offers `window.microRaiden` to mount more by hand. A site may set
// `window.microRaidenConfig` before the script runs (language, payment mode, its chain's RPC URL, what is paid without
// asking) for those mounts.
import { type Mounted, type MountOptions, mount } from "./mount.tsx";
import { fragmentSourceAttribute, type MountFragmentOptions, mountFragment } from "./mountFragment.tsx";
import { type MountStatusOptions, mountStatus } from "./mountStatus.tsx";

/** Options a site sets for the automatic mounts: `window.microRaidenConfig = { chains: [myChain] }`. */
export type MicroRaidenConfig = Pick<MountOptions, "locale" | "signing" | "chains" | "policy">;

export type MicroRaidenGlobal = {
  mount(element: HTMLElement, options?: MountOptions): Mounted;
  mountFragment(element: HTMLElement, options?: MountFragmentOptions): Mounted;
  mountStatus(element: HTMLElement, options?: MountStatusOptions): Mounted;
};

declare global {
  interface Window {
    microRaiden?: MicroRaidenGlobal;
    microRaidenConfig?: MicroRaidenConfig;
  }
}

/** The element the receiver's 402 page reserves for the paywall, carrying the payment requirements. */
const paywallElementId = "micro-raiden-paywall";
/** The element a receiver's paid page carries for the reader's channel status (the receiver's `channelStatusBar`). */
const statusElementId = "micro-raiden-status";

function mountAll() {
  const config = window.microRaidenConfig ?? {};
  const paywall = document.getElementById(paywallElementId);
  if (paywall) mountReporting(paywall, () => mount(paywall, config));
  const status = document.getElementById(statusElementId);
  if (status) mountReporting(status, () => mountStatus(status, config));
  for (const element of document.querySelectorAll<HTMLElement>(`[${fragmentSourceAttribute}]`)) {
    mountReporting(element, () => mountFragment(element, config));
  }
}

// One broken element (bad attributes) must not keep the others from mounting; its fallback content stays visible.
function mountReporting(element: HTMLElement, mountIt: () => Mounted) {
  try {
    mountIt();
  } catch (error) {
    console.error("µRaiden paywall: could not mount on", element, error);
  }
}

// A second copy of the script (two tags, or a site that bundles it too) must not mount everything twice.
if (!window.microRaiden) {
  window.microRaiden = { mount, mountFragment, mountStatus };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll, { once: true });
  else mountAll();
}
