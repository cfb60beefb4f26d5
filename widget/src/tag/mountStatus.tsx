import { decodePaywallAttributes, decodePaywallSite } from "@micro-raiden/web-client/protocol";
import { createRoot } from "react-dom/client";
import { ChannelStatus, MicroRaidenProvider } from "../index.ts";
import { createShadowMount } from "./createShadowMount.ts";
import type { Mounted, MountOptions } from "./mount.tsx";
import { readPolicy } from "./readPolicy.ts";
import { siteChains } from "./siteChains.ts";

export type MountStatusOptions = Pick<
  MountOptions,
  "requirements" | "url" | "locale" | "signing" | "chains" | "policy"
>;

/**
 * The reader's channel as a compact bar on a paid page, in `element`'s shadow root: deposit, spent and remaining,
 * the pages left, a top-up when fewer than five remain, and closing. The receiver's paid pages carry
 * `#micro-raiden-status` with the requirements in `data-*` attributes (`channelStatusBar(c)`), which the script
 * mounts on its own.
 *
 * @example
 * // a paid page, after <script src="/micro-raiden/paywall.js" async>
 * window.microRaiden.mountStatus(document.querySelector("#status")!, { requirements });
 */
export function mountStatus(element: HTMLElement, options: MountStatusOptions = {}): Mounted {
  const requirements = options.requirements ?? decodePaywallAttributes(element);
  const url = options.url ?? window.location.href;
  const policy = readPolicy(element, options.policy);
  const chains = siteChains(requirements, decodePaywallSite(element), options.chains);
  const { container } = createShadowMount(element);
  const root = createRoot(container);
  root.render(
    <MicroRaidenProvider locale={options.locale} signing={options.signing} chains={chains} policy={policy}>
      <ChannelStatus requirements={requirements} url={url} variant="bar" />
    </MicroRaidenProvider>,
  );
  return { unmount: () => root.unmount() };
}
