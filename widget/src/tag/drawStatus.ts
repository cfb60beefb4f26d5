import type { PaymentRequirements } from "@micro-raiden/web-client/protocol";
import { readStatusSnapshot, type StatusSnapshot } from "../components/statusSnapshotStore.ts";
import { widgetCss } from "../components/styles.ts";
import { formatTokenAmount } from "../format/formatTokenAmount.ts";
import type { Messages } from "../i18n/en.ts";
import { drawElement as h } from "./drawElement.ts";

let drawings = 0;

/**
 * The status bar's first drawing while the widget loads, as the widget's ChannelStatus draws it while the channel
 * loads (the same markup, so nothing changes when it takes over): the figures the bar showed last on this site, its
 * close button waiting; or the terms with no figures yet.
 */
export function drawStatus(
  container: HTMLElement,
  parameters: { requirements: PaymentRequirements; messages: Messages; locale: string },
): void {
  const { messages } = parameters;
  const headingId = `mr-status-${++drawings}`;
  const snapshot = readStatusSnapshot(parameters.requirements);
  const terms = [messages.status.deposit, messages.status.spent, messages.status.remaining];
  const loading = snapshot
    ? [
        ...drawFigures(snapshot, messages, parameters.locale),
        h(
          "div",
          { class: "mr-actions" },
          h("button", { type: "button", class: "mr-button mr-button-secondary", disabled: "" }, messages.status.close),
        ),
      ]
    : [
        h(
          "dl",
          { class: "mr-figures mr-muted" },
          ...terms.map((term) => h("div", {}, h("dt", {}, term), h("dd", {}, "…"))),
        ),
      ];
  container.replaceChildren(
    h(
      "section",
      { class: "mr-panel mr-status-bar", "aria-labelledby": headingId },
      h("style", {}, widgetCss),
      h("h2", { id: headingId }, messages.status.label),
      h(
        "div",
        { tabindex: "-1", class: "mr-step", "data-view": "loading", "aria-busy": "true" },
        h("div", { class: "mr-open" }, ...loading),
      ),
      h("div", { role: "status", "aria-live": "polite", class: "mr-muted" }),
    ),
  );
}

/** ChannelStatus's figures of a snapshot: deposit, spent and remaining, the meter, and the pages the rest pays for. */
function drawFigures(snapshot: StatusSnapshot, messages: Messages, locale: string): HTMLElement[] {
  const { deposit, balance, pagePrice, token, autoPay } = snapshot;
  const remaining = deposit - balance;
  const format = (amount: bigint) => formatTokenAmount(amount, token, locale);
  const percent = deposit > 0n ? Number((remaining * 100n) / deposit) : 0;
  const figures = [
    [messages.status.deposit, deposit],
    [messages.status.spent, balance],
    [messages.status.remaining, remaining],
  ] as const;
  const meter = h("span");
  meter.style.width = `${percent}%`;
  return [
    h(
      "dl",
      { class: "mr-figures" },
      ...figures.map(([term, amount]) => h("div", {}, h("dt", {}, term), h("dd", {}, format(amount)))),
    ),
    h(
      "div",
      { class: "mr-left" },
      h("div", { class: "mr-bar", "aria-hidden": "true" }, meter),
      h(
        "p",
        {},
        snapshot.sessionKey
          ? messages.status.budget((remaining / pagePrice).toString(), format(pagePrice))
          : messages.status.budgetWallet,
      ),
      ...(snapshot.sessionKey && autoPay
        ? [h("p", { class: "mr-muted" }, messages.status.autoPay(format(autoPay.maxPrice), autoPay.perMinute))]
        : []),
    ),
  ];
}
