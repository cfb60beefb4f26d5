// The paywall against the real chain and the real receiver, driven like a reader: by keyboard, with a
// MetaMask-like wallet.
import { screen, waitFor } from "@testing-library/react";
import { parseEther } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { userEvent } from "vitest/browser";
import { renderWidget } from "../testing/renderWidget.tsx";
import { newReader, requirementsOf, type TestWallet } from "../testing/testEnvironment.ts";
import { Paywall } from "./Paywall.tsx";

let readers: (TestWallet & { stop(): void })[] = [];
afterEach(() => {
  for (const reader of readers) reader.stop();
  readers = [];
});
async function reader(options: Parameters<typeof newReader>[0] = {}) {
  const wallet = await newReader(options);
  readers.push(wallet);
  return wallet;
}

describe("Paywall", () => {
  it("shows the price in tokens, connects, opens a channel in one transaction by keyboard, then is ready", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />);

    expect(await screen.findByRole("heading", { name: "This page costs 0.001 TKN." })).toBeTruthy();
    const connect = await screen.findByRole("button", { name: "Connect Test Wallet" });
    connect.focus();
    await userEvent.keyboard("{Enter}");

    const deposit = await screen.findByRole("textbox", { name: "Deposit (TKN)" });
    expect(document.activeElement?.closest("[data-step]")?.getAttribute("data-step")).toBe("deposit");
    expect((deposit as HTMLInputElement).value).toBe("0.1");
    expect(screen.getByRole("radio", { name: /Automatically/ })).toHaveProperty("checked", true);
    expect(await screen.findByText("Opens with one signature and one transaction.")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Open a channel with 0.1 TKN" }));

    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    const [{ channel }] = onChannelReady.mock.calls[0] ?? [];
    expect(channel.deposit).toBe(parseEther("0.1"));
    expect(channel.sessionKey).toBeDefined();
    expect(wallet.prompts.eth_requestAccounts).toBe(1);
    expect(wallet.prompts.eth_signTypedData_v4).toBe(1);
    expect(wallet.prompts.eth_sendTransaction).toBe(1);
  });
});
