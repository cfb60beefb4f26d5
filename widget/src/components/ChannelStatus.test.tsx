// The status bar on paid pages, against the real chain and receiver: figures after real payments, the top-up
// offer, the cooperative close with the refund on chain, and closing alone then settling when the site is gone.
import type { PaymentRequirements } from "@micro-raiden/web-client";
import { screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { userEvent } from "vitest/browser";
import { usePaidFetch } from "../hooks/usePaidFetch.ts";
import { reader } from "../testing/readers.ts";
import { renderWidget } from "../testing/renderWidget.tsx";
import { requirementsOf, testClient, testDeployment, tokenBalance } from "../testing/testEnvironment.ts";
import { ChannelStatus } from "./ChannelStatus.tsx";
import { Paywall } from "./Paywall.tsx";

/** A single-page app's reader: fetches paid articles with usePaidFetch and shows the last one. */
function Reader({ urls }: { urls: string[] }) {
  const paidFetch = usePaidFetch();
  const [text, setText] = useState("");
  return (
    <div>
      {urls.map((url) => (
        <button
          key={url}
          type="button"
          disabled={!paidFetch}
          // Past the browser cache: an earlier test may have bought this page in this browser already.
          onClick={async () => paidFetch && setText(await (await paidFetch(url, { cache: "no-store" })).text())}
        >
          Read {url}
        </button>
      ))}
      <output>{text}</output>
    </div>
  );
}

async function openThroughPaywall(requirements: PaymentRequirements, statusUrl: string, deposit?: string) {
  renderWidget(
    <>
      <Paywall requirements={requirements} url="/articles/1" />
      <ChannelStatus requirements={requirements} url={statusUrl} />
      <Reader urls={["/articles/1", "/articles/2"]} />
    </>,
  );
  await userEvent.click(await screen.findByRole("button", { name: "Connect Test Wallet" }));
  const field = await screen.findByRole("textbox", { name: "Deposit (TKN)" });
  if (deposit) await userEvent.fill(field, deposit);
  await userEvent.click(screen.getByRole("button", { name: /Open a channel/ }));
  await screen.findByText("Your channel is open. You can read paid pages now.");
}

const figures = () => [...document.querySelectorAll(".mr-figures dd")].map((dd) => dd.textContent);

describe("ChannelStatus", () => {
  it("shows deposit, spent and remaining after a real payment, then closes and shows the refund", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    await openThroughPaywall(requirements, "/articles/1");
    await waitFor(() => expect(figures()).toEqual(["0.1 TKN", "0 TKN", "0.1 TKN"]));
    expect(screen.getByText("About 100 pages left at 0.001 TKN a page")).toBeTruthy();
    // What the session key pays without asking, as the reader chose it when opening.
    expect(screen.getByText("Pays automatically up to 0.001 TKN a page, 30 pages a minute.")).toBeTruthy();

    await userEvent.click(screen.getByRole("button", { name: "Read /articles/1" }));
    expect(await screen.findByText(/The whole article, paid for/)).toBeTruthy();
    await waitFor(() => expect(figures()).toEqual(["0.1 TKN", "0.001 TKN", "0.099 TKN"]));
    expect(screen.getByText("About 99 pages left at 0.001 TKN a page")).toBeTruthy();
    expect(wallet.prompts.eth_signTypedData_v4).toBe(1); // the permit only: the session key paid

    await userEvent.click(screen.getByRole("button", { name: "Close and get the rest back" }));
    expect(await screen.findByText("Channel closed: 0.099 TKN came back to you.")).toBeTruthy();
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("0.999"));
  });

  it("in wallet mode asks the wallet once per payment, and says so", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(
      <>
        <Paywall requirements={requirements} url="/articles/1" />
        <ChannelStatus requirements={requirements} url="/articles/1" />
        <Reader urls={["/articles/1", "/articles/2"]} />
      </>,
      { signing: "wallet" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Connect Test Wallet" }));
    expect(await screen.findByRole("radio", { name: "Confirm each payment in my wallet" })).toHaveProperty(
      "checked",
      true,
    );
    await userEvent.click(screen.getByRole("button", { name: /Open a channel/ }));
    await screen.findByText("Your channel is open. You can read paid pages now.");
    expect(await screen.findByText("You confirm each payment in your wallet.")).toBeTruthy();
    const before = wallet.prompts.eth_signTypedData_v4;
    await userEvent.click(screen.getByRole("button", { name: "Read /articles/1" }));
    expect(await screen.findByText(/The whole article, paid for/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Read /articles/2" }));
    await waitFor(() => expect(figures()).toEqual(["0.1 TKN", "0.003 TKN", "0.097 TKN"]));
    expect(wallet.prompts.eth_signTypedData_v4 - before).toBe(2);
  });

  it("offers a top-up when fewer than five pages remain", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    await openThroughPaywall(requirements, "/articles/1", "0.004");
    expect(await screen.findByText("Your deposit is running low.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Add 0.1 TKN" }));
    await waitFor(() => expect(figures()).toEqual(["0.104 TKN", "0 TKN", "0.104 TKN"]));
    expect(screen.queryByText("Your deposit is running low.")).toBeNull();
  });

  it("when the site cannot be reached, closes alone, shows the blocks left, and settles after the challenge", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    // A receiver origin nothing listens on: the cooperative close cannot reach it.
    await openThroughPaywall(requirements, "http://127.0.0.1:9/articles/1");
    await userEvent.click(await screen.findByRole("button", { name: "Close and get the rest back" }));
    expect(await screen.findByText("The site cannot be reached to close together.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Close without the site" }));
    expect(await screen.findByText(/The site may answer for \d+ more blocks; then you can settle\./)).toBeTruthy();

    await testClient().mine({ blocks: testDeployment().challengePeriod + 1 });
    await userEvent.click(await screen.findByRole("button", { name: "Settle and get the rest back" }));
    expect(await screen.findByText("Channel closed: 0.1 TKN came back to you.")).toBeTruthy();
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("1"));
  });
});
