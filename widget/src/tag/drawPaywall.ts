import type { PaymentRequirements } from "@micro-raiden/web-client/protocol";
import { widgetCss } from "../components/styles.ts";
import { formatTokenAmount, type TokenInfo } from "../format/formatTokenAmount.ts";
import type { Messages } from "../i18n/en.ts";
import { type DiscoveredWallet, discoverWallets } from "./discoverWallets.ts";
import { drawElement as h } from "./drawElement.ts";

export type PaywallDrawing = {
  /** Shows that a chosen wallet is being connected (the widget loading behind it), or that loading it failed. */
  connecting(failed?: boolean): void;
};

let drawings = 0;

/**
 * The paywall's first drawing, from the page alone: the price (the requirements and the token the receiver's page
 * names) and the Connect step with the wallets this browser announces. The same markup and stylesheet as the
 * widget's Paywall in its Connect step, so the widget mounting over it moves nothing. `onConnect` gets the chosen
 * wallet's connector id.
 */
export function drawPaywall(
  container: HTMLElement,
  parameters: {
    requirements: PaymentRequirements;
    token: TokenInfo;
    messages: Messages;
    locale: string;
    onConnect: (walletId: string) => void;
  },
): PaywallDrawing {
  const { messages } = parameters;
  const headingId = `mr-paywall-${++drawings}`;
  const step = h("div", { tabindex: "-1", class: "mr-step", "data-step": "connect" });
  const status = h("div", { role: "status", "aria-live": "polite", class: "mr-muted" });
  let wallets: DiscoveredWallet[] = [];
  let pending = false;

  const draw = () => {
    if (wallets.length === 0) {
      step.replaceChildren(
        h(
          "div",
          {},
          h("p", {}, messages.noWallet),
          h("p", { class: "mr-muted" }, messages.noWalletHelp),
          h(
            "p",
            {},
            h(
              "a",
              { href: "https://metamask.io/download/", target: "_blank", rel: "noopener noreferrer" },
              messages.installMetaMask,
            ),
          ),
        ),
      );
      return;
    }
    const buttons = wallets.map((wallet) => {
      const button = h("button", { type: "button", class: "mr-button" }, messages.connectWith(wallet.name));
      if (pending) button.setAttribute("disabled", "");
      button.addEventListener("click", () => parameters.onConnect(wallet.id));
      return h("li", {}, button);
    });
    step.replaceChildren(
      h(
        "div",
        {},
        h("p", {}, messages.payWithChannel),
        h("ul", { class: "mr-actions", "aria-label": messages.chooseWallet }, ...buttons),
        ...(pending ? [h("p", {}, messages.connecting)] : []),
      ),
    );
  };

  container.replaceChildren(
    h(
      "section",
      { class: "mr-panel", "aria-labelledby": headingId },
      h("style", {}, widgetCss),
      h(
        "h2",
        { id: headingId, class: "mr-price" },
        messages.price(formatTokenAmount(parameters.requirements.price, parameters.token, parameters.locale)),
      ),
      step,
      status,
    ),
  );
  wallets = discoverWallets((found) => {
    wallets = found;
    draw();
  });
  draw();
  return {
    connecting(failed = false) {
      pending = !failed;
      draw();
      status.replaceChildren(...(failed ? [h("p", { class: "mr-error" }, messages.errors.generic)] : []));
    },
  };
}
