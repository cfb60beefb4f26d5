// The channel's figures as a screen reader reads them, in real Chromium: each term with its value, in reading
// order ("Deposit 0.1 TKN, Spent 0 TKN, …", not the three terms and then the three values), a definition list axe
// accepts, and on screen still the grid of terms over values, in the panel and in the bar.
import { screen, waitFor } from "@testing-library/react";
import axe from "axe-core";
import { parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { page, userEvent } from "vitest/browser";
import { reader } from "../testing/readers.ts";
import { renderWidget } from "../testing/renderWidget.tsx";
import { requirementsOf } from "../testing/testEnvironment.ts";
import { ChannelStatus } from "./ChannelStatus.tsx";
import { Paywall } from "./Paywall.tsx";

/** Where an element is on screen, rounded to whole pixels. */
const box = (element: Element) => {
  const { left, top } = element.getBoundingClientRect();
  return { left: Math.round(left), top: Math.round(top) };
};

describe("ChannelStatus figures", () => {
  it("give each term its value in reading order, pass axe's list rules, and keep the grid", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(
      <>
        <Paywall requirements={requirements} url="/articles/1" />
        <div data-testid="panel">
          <ChannelStatus requirements={requirements} url="/articles/1" />
        </div>
        <div data-testid="bar">
          <ChannelStatus requirements={requirements} url="/articles/1" variant="bar" />
        </div>
      </>,
    );
    await userEvent.click(await screen.findByRole("button", { name: "Connect Test Wallet" }));
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(document.querySelectorAll('[data-view="open"] .mr-figures')).toHaveLength(2));

    for (const variant of ["panel", "bar"]) {
      const list = screen.getByTestId(variant).querySelector(".mr-figures");
      if (!list) throw new Error(`No figures in the ${variant}.`);
      await expect.element(page.elementLocator(list)).toMatchAriaInlineSnapshot(`
        - term: Deposit
        - definition: 0.1 TKN
        - term: Spent
        - definition: 0 TKN
        - term: Remaining
        - definition: 0.1 TKN
      `);

      const result = await axe.run(list, { runOnly: { type: "rule", values: ["definition-list", "dlitem"] } });
      expect(result.violations.map((violation) => violation.id)).toEqual([]);
      expect(result.passes.map((rule) => rule.id).sort()).toEqual(["definition-list", "dlitem"]);

      // On screen: three columns, each a term over its value; the terms in one row, the values in the next.
      const terms = [...list.querySelectorAll("dt")].map(box);
      const values = [...list.querySelectorAll("dd")].map(box);
      expect(terms).toHaveLength(3);
      expect(new Set(terms.map((b) => b.top)).size, `${variant}: the terms share a row`).toBe(1);
      expect(new Set(values.map((b) => b.top)).size, `${variant}: the values share a row`).toBe(1);
      expect(values[0]?.top, `${variant}: the values are under the terms`).toBeGreaterThan(terms[0]?.top ?? 0);
      expect(
        values.map((b) => b.left),
        `${variant}: each value under its term`,
      ).toEqual(terms.map((b) => b.left));
      expect(terms[0]?.left, `${variant}: the columns run left to right`).toBeLessThan(terms[1]?.left ?? 0);
      expect(terms[1]?.left).toBeLessThan(terms[2]?.left ?? 0);
    }
  });
});
