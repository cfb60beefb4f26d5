// Every state of the paywall and the status bar passes axe's WCAG 2 A/AA rules with no serious or critical
// violation, in real Chromium (so color contrast is measured on what is rendered).
import { screen, waitFor } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { userEvent } from "vitest/browser";
import { reader } from "../testing/readers.ts";
import { renderWidget } from "../testing/renderWidget.tsx";
import { requirementsOf } from "../testing/testEnvironment.ts";
import { ChannelStatus } from "./ChannelStatus.tsx";
import { Paywall } from "./Paywall.tsx";

async function seriousViolations(state: string): Promise<string[]> {
  const result = await axe.run(document.body, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"] } });
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) => `${state}: ${violation.id} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
}

describe("accessibility", () => {
  it("has no serious or critical violation in any paywall state", async () => {
    const found: string[] = [];
    const requirements = await requirementsOf("/articles/1");
    const noWallet = renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await screen.findByText("No Ethereum wallet found in this browser.");
    await screen.findByRole("heading", { name: "This page costs 0.001 TKN." });
    found.push(...(await seriousViolations("no wallet")));
    noWallet.unmount();

    const wallet = await reader({ tokens: 0n });
    renderWidget(
      <>
        <Paywall requirements={requirements} url="/articles/1" />
        <ChannelStatus requirements={requirements} url="/articles/1" />
      </>,
    );
    await screen.findByRole("button", { name: "Connect Test Wallet" });
    found.push(...(await seriousViolations("connect")));

    wallet.rejectNext("eth_requestAccounts");
    await userEvent.click(screen.getByRole("button", { name: "Connect Test Wallet" }));
    await screen.findByText("You rejected the request in your wallet. Nothing was charged.");
    found.push(...(await seriousViolations("rejected")));

    await userEvent.click(screen.getByRole("button", { name: "Connect Test Wallet" }));
    await screen.findByRole("button", { name: "Get 0.1 TKN from the test faucet" });
    found.push(...(await seriousViolations("deposit without tokens")));

    await userEvent.fill(screen.getByRole("textbox", { name: "Deposit (TKN)" }), "0.0001");
    await screen.findByText("Enter an amount greater than the price, like 0.1.");
    found.push(...(await seriousViolations("invalid deposit")));
    await userEvent.fill(screen.getByRole("textbox", { name: "Deposit (TKN)" }), "0.004");
    await userEvent.click(await screen.findByRole("button", { name: "Get 0.004 TKN from the test faucet" }));
    const open = screen.getByRole("button", { name: "Open a channel with 0.004 TKN" });
    await waitFor(() => expect(open).toHaveProperty("disabled", false));
    await userEvent.click(open);
    await screen.findByText("Your channel is open. You can read paid pages now.");
    await screen.findByText("Your deposit is running low.");
    found.push(...(await seriousViolations("ready, status with top-up")));

    expect(found).toEqual([]);
  });
});
