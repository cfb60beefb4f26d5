import type { PaymentRequirements } from "@micro-raiden/web-client";
import { decodePaywallAttributes, decodePaywallSite } from "@micro-raiden/web-client/protocol";
import { createRoot } from "react-dom/client";
import { snapshotOf } from "../components/ChannelStatus.tsx";
import { ChosenWalletContext } from "../components/ConnectStep.tsx";
import { saveStatusSnapshot } from "../components/statusSnapshotStore.ts";
import { MicroRaidenProvider, type MicroRaidenProviderProps, Paywall, type PaywallProps } from "../index.ts";
import { navigatePaid } from "../navigation/index.ts";
import { createShadowMount } from "./createShadowMount.ts";
import { type PolicyConfig, readPolicy } from "./readPolicy.ts";
import { siteChains } from "./siteChains.ts";

export type MountOptions = {
  /** What the resource costs and who sells it; default: the element's `data-*` attributes (the 402 page's). */
  requirements?: PaymentRequirements | undefined;
  /** The paid resource; default: this page's URL. */
  url?: string | undefined;
  /** The reader's language for the widget's text; default: the browser's. */
  locale?: MicroRaidenProviderProps["locale"];
  /** How payments are signed: a session key up to a budget (default) or a wallet prompt for each. */
  signing?: MicroRaidenProviderProps["signing"];
  /** The chains the receiver may be on, when not the local demo chain or Sepolia. */
  chains?: MicroRaidenProviderProps["chains"];
  /** What is paid without asking (default: this page's price, 30 pages a minute); `data-max-price` etc. win. */
  policy?: PolicyConfig | undefined;
  /** What happens once a channel can pay; default: load the paid page as a real document (`navigatePaid`). */
  onChannelReady?: PaywallProps["onChannelReady"];
  /** The wallet (wagmi connector id) the reader chose on the script tag's first drawing: connected as it mounts. */
  connectWith?: string | undefined;
};

/** A mounted widget: `unmount` removes it and leaves the host element's shadow root empty. */
export type Mounted = { unmount(): void };

/**
 * Renders the paywall for a paid page into `element`'s shadow root: the price, the wallet, the deposit, and then
 * the paid page itself, loaded as a real document. The 402 page's `#micro-raiden-paywall` is mounted this way on
 * its own; any other site calls it through `window.microRaiden.mount`.
 *
 * @example
 * // on a content site, after <script src="https://receiver.example/micro-raiden/paywall.js" async>
 * window.microRaiden.mount(document.querySelector("#buy")!, { url: "https://receiver.example/articles/1" });
 */
export function mount(element: HTMLElement, options: MountOptions = {}): Mounted {
  const requirements = options.requirements ?? decodePaywallAttributes(element);
  const url = options.url ?? window.location.href;
  const policy = readPolicy(element, options.policy);
  // The receiver's page says its chain's RPC URL and the token: nothing to configure, the price drawn at once.
  const site = decodePaywallSite(element);
  const chains = siteChains(requirements, site, options.chains);
  const { container } = createShadowMount(element);
  const root = createRoot(container);
  root.render(
    <MicroRaidenProvider locale={options.locale} signing={options.signing} chains={chains} policy={policy}>
      <ChosenWalletContext.Provider value={options.connectWith === undefined ? undefined : { id: options.connectWith }}>
        <Paywall
          requirements={requirements}
          url={url}
          token={site.token}
          onChannelReady={
            options.onChannelReady ??
            (async ({ client, channel, approvedPrice }) => {
              // The paid page's status bar draws these figures while its channel loads: the same row as the
              // figures that follow, so the first paid page's bar does not grow under the article.
              if (site.token) {
                const paid = { ...channel, balance: channel.balance + requirements.price };
                saveStatusSnapshot(requirements, snapshotOf(paid, site.token, requirements));
              }
              await navigatePaid(url, { client, channel, requirements, approvedPrice });
            })
          }
        />
      </ChosenWalletContext.Provider>
    </MicroRaidenProvider>,
  );
  return { unmount: () => root.unmount() };
}
