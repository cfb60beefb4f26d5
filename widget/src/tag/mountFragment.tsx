import { createRoot } from "react-dom/client";
import { MicroRaidenProvider } from "../index.ts";
import { createShadowMount } from "./createShadowMount.ts";
import { fragmentSourceAttribute } from "./fragmentSourceAttribute.ts";
import type { Mounted, MountOptions } from "./mount.tsx";
import { PaidFragment } from "./PaidFragment.tsx";
import { readPolicy } from "./readPolicy.ts";

export type MountFragmentOptions = Pick<MountOptions, "locale" | "signing" | "chains" | "policy"> & {
  /** The paid resource; default: the element's `data-micro-raiden-src`. */
  src?: string | undefined;
};

/**
 * Paid-fragment mode, for static pages whose paid parts come from a receiver on another origin: renders into
 * `element`'s shadow root the paywall for its source, then the paid fragment itself, sanitized.
 *
 * @example
 * // <div data-micro-raiden-src="https://receiver.example/articles/1">Subscribers read on…</div>
 * window.microRaiden.mountFragment(document.querySelector("[data-micro-raiden-src]")!);
 */
export function mountFragment(element: HTMLElement, options: MountFragmentOptions = {}): Mounted {
  const src = options.src ?? element.getAttribute(fragmentSourceAttribute);
  if (!src) throw new Error(`mountFragment: the element has no ${fragmentSourceAttribute} and no src was given.`);
  // Resolved against the page, so a relative source still names one receiver.
  const url = new URL(src, document.baseURI).href;
  const policy = readPolicy(element, options.policy);
  const { container } = createShadowMount(element);
  const root = createRoot(container);
  root.render(
    <MicroRaidenProvider locale={options.locale} signing={options.signing} chains={options.chains} policy={policy}>
      <PaidFragment src={url} />
    </MicroRaidenProvider>,
  );
  return { unmount: () => root.unmount() };
}
