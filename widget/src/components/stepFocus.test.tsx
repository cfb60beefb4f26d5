// Where focus goes when the paywall moves to another step, and what it looks like, in real Chromium: focus moves to
// the new step (a keyboard user goes on from there), but the step's container, focused by script, draws no outline
// around the whole form; a control the reader then reaches with the keyboard still shows its focus ring.
import { screen } from "@testing-library/react";
import { parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { userEvent } from "vitest/browser";
import { reader } from "../testing/readers.ts";
import { renderWidget } from "../testing/renderWidget.tsx";
import { requirementsOf } from "../testing/testEnvironment.ts";
import { Paywall } from "./Paywall.tsx";

const outlineOf = (element: Element) => {
  const style = getComputedStyle(element);
  return { style: style.outlineStyle, width: style.outlineWidth };
};

describe("step focus", () => {
  // First in the file: no key was pressed and nothing clicked on this page yet.
  it("draws no outline around a step that script focuses with no input from the reader at all", async () => {
    // A wallet that allowed the site before reconnects as the page loads, and the paywall goes on to the deposit.
    await reader({ tokens: parseEther("1"), connected: true });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await screen.findByRole("textbox", { name: "Deposit (TKN)" });

    const step = document.activeElement;
    expect(step?.getAttribute("data-step")).toBe("deposit");
    expect(outlineOf(step as Element).style).toBe("none");
  });

  it("moves focus to the new step with no outline around the step, and keeps the controls' focus rings", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);

    // By keyboard, as Chromium then draws focus rings for what script focuses too (:focus-visible).
    (await screen.findByRole("button", { name: "Connect Test Wallet" })).focus();
    await userEvent.keyboard("{Enter}");
    await screen.findByRole("textbox", { name: "Deposit (TKN)" });

    const step = document.activeElement;
    expect(step?.getAttribute("data-step")).toBe("deposit");
    expect(step?.matches(":focus-visible"), "Chromium counts this focus as visible").toBe(true);
    expect(outlineOf(step as Element).style).toBe("none");

    // The open button is enabled once the form knows how the token takes a deposit (a few view calls).
    const open = screen.getByRole<HTMLButtonElement>("button", { name: "Open a channel with 0.1 TKN" });
    await expect.poll(() => open.disabled, { timeout: 10_000 }).toBe(false);

    await userEvent.tab();
    const field = screen.getByRole("textbox", { name: "Deposit (TKN)" });
    expect(document.activeElement).toBe(field);
    expect(outlineOf(field)).toEqual({ style: "solid", width: "2px" });
    await userEvent.tab(); // the payment mode
    await userEvent.tab(); // the open button
    expect(document.activeElement).toBe(open);
    expect(outlineOf(open)).toEqual({ style: "solid", width: "3px" });
  });
});
