// The script tag: `<script src="…/micro-raiden/paywall.js" async>`. The first script is small and needs no chain: on
// load it draws the paywall on the 402 page's #micro-raiden-paywall (the price and the Connect step, from the page's
// attributes) and holds the status bar's place on the receiver's paid pages (#micro-raiden-status); the widget itself
// (wagmi, viem, the channel client) is a second chunk it imports when the reader acts, when the browser is idle, or at
// once where it is needed at once (a paid fragment, a page that names no token). It offers `window.microRaiden` to
// mount more by hand. A site may set `window.microRaidenConfig` before the script runs (language, payment mode, its
// chain's RPC URL, what is paid without asking) for those mounts.
import { decodePaywallAttributes, decodePaywallSite } from "@micro-raiden/web-client/protocol";
import { catalogs, chooseLocale } from "../i18n/catalogs.ts";
import { createShadowMount } from "./createShadowMount.ts";
import { drawPaywall } from "./drawPaywall.ts";
import { drawStatus } from "./drawStatus.ts";
import { fragmentSourceAttribute } from "./fragmentSourceAttribute.ts";
import { lazyMount } from "./lazyMount.ts";
import type { Mounted, MountOptions } from "./mount.tsx";
import type { MountFragmentOptions } from "./mountFragment.tsx";
import type { MountStatusOptions } from "./mountStatus.tsx";
import { readPolicy } from "./readPolicy.ts";

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

/**
 * The paywall (the widget's `mount`): drawn at once when the page names the token, the widget loaded at idle or on
 * the reader's click (connecting the wallet they chose). What is wrong with the element throws here, as the widget
 * would.
 */
function mount(element: HTMLElement, options: MountOptions = {}): Mounted {
  const requirements = options.requirements ?? decodePaywallAttributes(element);
  const { token } = decodePaywallSite(element);
  readPolicy(element, options.policy);
  let connectWith: string | undefined;
  const lazy = lazyMount(element, token ? "idle" : "now", (widget) =>
    widget.mount(element, { ...options, requirements, connectWith }),
  );
  if (token) {
    const locale = chooseLocale(options.locale);
    const drawing = drawPaywall(createShadowMount(element).container, {
      requirements,
      token,
      messages: catalogs[locale],
      locale,
      onConnect: (walletId) => {
        connectWith = walletId;
        drawing.connecting();
        lazy.now().catch((error: unknown) => {
          console.error("µRaiden paywall: the widget could not be loaded", error);
          drawing.connecting(true);
        });
      },
    });
  }
  return lazy;
}

/** The status bar (the widget's `mountStatus`): its place held at once, the widget loaded at once. */
function mountStatus(element: HTMLElement, options: MountStatusOptions = {}): Mounted {
  const requirements = options.requirements ?? decodePaywallAttributes(element);
  readPolicy(element, options.policy);
  const locale = chooseLocale(options.locale);
  drawStatus(createShadowMount(element).container, { requirements, messages: catalogs[locale], locale });
  return lazyMount(element, "now", (widget) => widget.mountStatus(element, { ...options, requirements }));
}

/** A paid fragment (the widget's `mountFragment`): its price comes from the receiver, so the widget loads at once. */
function mountFragment(element: HTMLElement, options: MountFragmentOptions = {}): Mounted {
  const src = options.src ?? element.getAttribute(fragmentSourceAttribute);
  if (!src) throw new Error(`mountFragment: the element has no ${fragmentSourceAttribute} and no src was given.`);
  return lazyMount(element, "now", (widget) => widget.mountFragment(element, { ...options, src }));
}

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
