// The paywall against the real chain and the real receiver, driven like a reader: by keyboard and mouse, with a
// MetaMask-like wallet that can reject.
import { fetchWithStoredChannel, indexedDbStorage } from "@micro-raiden/web-client";
import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import { screen, waitFor, within } from "@testing-library/react";
import { createWalletClient, http, parseEther } from "viem";
import { describe, expect, it, vi } from "vitest";
import { userEvent } from "vitest/browser";
import { reader } from "../testing/readers.ts";
import { renderWidget } from "../testing/renderWidget.tsx";
import {
  publicTestClient,
  requirementsOf,
  testChain,
  testClient,
  testDeployment,
  tokenBalance,
} from "../testing/testEnvironment.ts";
import { Paywall } from "./Paywall.tsx";

const stepOf = (element: Element | null) => element?.closest("[data-step]")?.getAttribute("data-step");

/** Every text the live region announced, in order (a step may pass quickly). */
function announcements(): string[] {
  const seen: string[] = [];
  const observer = new MutationObserver(() => {
    for (const region of document.querySelectorAll('[role="status"]')) {
      const text = region.textContent ?? "";
      if (text && seen.at(-1) !== text) seen.push(text);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  return seen;
}

/** Every step the panel showed, in order: what the reader saw, however briefly. */
function stepsShown(): string[] {
  const seen: string[] = [];
  const record = () => {
    const step = document.querySelector(".mr-step[data-step]")?.getAttribute("data-step");
    if (step && seen.at(-1) !== step) seen.push(step);
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  return seen;
}

async function connect() {
  await userEvent.click(await screen.findByRole("button", { name: "Connect Test Wallet" }));
}

describe("Paywall", () => {
  it("shows the price in tokens, connects, opens a channel in one transaction by keyboard, then is ready", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    const announced = announcements();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />);

    expect(await screen.findByRole("heading", { name: "This page costs 0.001 TKN." })).toBeTruthy();
    (await screen.findByRole("button", { name: "Connect Test Wallet" })).focus();
    await userEvent.keyboard("{Enter}");

    const deposit = await screen.findByRole("textbox", { name: "Deposit (TKN)" });
    // Focus moved to the new step.
    expect(stepOf(document.activeElement)).toBe("deposit");
    expect(deposit).toHaveProperty("value", "0.1");
    expect(screen.getByRole("radio", { name: /Automatically/ })).toHaveProperty("checked", true);
    // The open button does not move when the paywall has learnt how the token deposits and says it.
    const openAt = screen.getByRole("button", { name: /^Open a channel/ }).getBoundingClientRect().top;
    expect(await screen.findByText("Opens with one signature and one transaction.")).toBeTruthy();
    expect(screen.getByRole("button", { name: /^Open a channel/ }).getBoundingClientRect().top).toBe(openAt);
    await userEvent.tab(); // the deposit field
    await userEvent.tab(); // the payment mode
    await userEvent.tab(); // the open button
    expect(document.activeElement?.textContent).toBe("Open a channel with 0.1 TKN");
    await userEvent.keyboard("{Enter}");

    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    const [{ channel }] = onChannelReady.mock.calls[0] ?? [];
    expect(channel.deposit).toBe(parseEther("0.1"));
    expect(channel.sessionKey).toBeDefined();
    expect(wallet.prompts).toMatchObject({ eth_requestAccounts: 1, eth_signTypedData_v4: 1, eth_sendTransaction: 1 });
    expect(announced.some((text) => text.includes("Confirm in your wallet."))).toBe(true);
    expect(announced.some((text) => /Transaction sent.*0x[0-9a-f]{64}/.test(text))).toBe(true);
    // How many blocks came already depends on the chain; the progress towards the site's two is shown.
    expect(announced.some((text) => /Confirmations: \d \/ 2/.test(text))).toBe(true);
    expect(announced.at(-1)).toContain("Your channel is open.");
  });

  it("opens with signatures only and no ether when the receiver sponsors the open", async () => {
    const wallet = await reader({ tokens: parseEther("1"), eth: 0n });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />);
    await connect();
    await userEvent.fill(await screen.findByRole("textbox", { name: "Deposit (TKN)" }), "0.5");
    expect(
      await screen.findByText("Opens with two signatures in your wallet and no transaction: the site pays the fee."),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Open a channel with 0.5 TKN" }));
    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    expect(wallet.prompts.eth_sendTransaction).toBe(0);
    expect(await publicTestClient().getBalance({ address: wallet.account.address })).toBe(0n);
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("0.5"));
  });

  it("says ready without a callback, and finds the open channel again after a reload", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/2");
    const first = renderWidget(<Paywall requirements={requirements} url="/articles/2" />);
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.2 TKN" }));
    expect(await screen.findByText("Your channel is open. You can read paid pages now.")).toBeTruthy();
    first.unmount();

    const onChannelReady = vi.fn();
    renderWidget(<Paywall requirements={requirements} url="/articles/2" onChannelReady={onChannelReady} />);
    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole("textbox", { name: /Deposit/ })).toBeNull();
  });

  it("never offers Connect while a wallet that allowed the site reconnects: no button that vanishes when clicked", async () => {
    // A fresh browser profile, a wallet that still lists the site: the page reconnects it without a prompt.
    const wallet = await reader({ tokens: parseEther("1"), connected: true });
    const requirements = await requirementsOf("/articles/1");
    const buttonsShown: string[] = [];
    const observer = new MutationObserver(() => {
      for (const button of document.querySelectorAll("button")) buttonsShown.push(button.textContent ?? "");
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    expect(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" })).toBeTruthy();
    observer.disconnect();
    expect(buttonsShown.filter((text) => text.startsWith("Connect"))).toEqual([]);
    expect(wallet.prompts.eth_requestAccounts).toBe(0);
  });

  it("drops a channel that was closed and settled while no page watched, and offers a new one", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    const first = renderWidget(
      <Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />,
    );
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    const [{ channel }] = onChannelReady.mock.calls[0] ?? [];
    first.unmount();

    // The reader's account closes the channel from elsewhere (no page of the site open) and settles it.
    const account = createWalletClient({ account: wallet.account, chain: testChain(), transport: http() });
    const { channelManager, challengePeriod } = testDeployment();
    const send = async (hash: Promise<`0x${string}`>) =>
      publicTestClient().waitForTransactionReceipt({ hash: await hash });
    await send(
      account.writeContract({
        address: channelManager,
        abi: channelManagerAbi,
        functionName: "uncooperativeClose",
        args: [requirements.receiver, channel.openBlock, 0n],
      }),
    );
    await testClient().mine({ blocks: challengePeriod + 1 });
    await send(
      account.writeContract({
        address: channelManager,
        abi: channelManagerAbi,
        functionName: "settle",
        args: [wallet.account.address, requirements.receiver, channel.openBlock],
      }),
    );
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("1"));

    const again = vi.fn();
    const steps = stepsShown();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={again} />);
    expect(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" })).toBeTruthy();
    // How the old channel ended, read from the chain: nothing went to the site, the whole deposit came back.
    expect(
      await screen.findByText(
        "Your last channel to this site was settled on chain: 0 TKN went to the site, 0.1 TKN came back to you.",
      ),
    ).toBeTruthy();
    // Straight to a new deposit: never "waiting for the site" on the settled channel, not even for a moment.
    expect(steps.filter((step) => step !== "connect" && step !== "loading")).toEqual(["deposit"]);
    expect(again).not.toHaveBeenCalled();
  });

  it("says what to install when no wallet is found", async () => {
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    expect(await screen.findByText("No Ethereum wallet found in this browser.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Get MetaMask" }).getAttribute("href")).toBe(
      "https://metamask.io/download/",
    );
  });

  it("lists a wallet that is both announced and window.ethereum once, not again as Injected", async () => {
    const wallet = await reader();
    Reflect.set(window, "ethereum", wallet.provider);
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    const list = await screen.findByRole("list", { name: "Connect a wallet" });
    await waitFor(() =>
      expect(
        within(list)
          .getAllByRole("button")
          .map((b) => b.textContent),
      ).toEqual(["Connect Test Wallet"]),
    );
  });

  it("switches the wallet to the site's chain, adding the chain when the wallet does not know it", async () => {
    const other = { ...testChain(), id: 1, name: "Elsewhere" };
    const wallet = await reader({ chains: [other], chainId: 1 });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await connect();
    expect(await screen.findByText(/Your wallet is on another network/)).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Switch to Local test chain" }));
    expect(await screen.findByRole("textbox", { name: "Deposit (TKN)" })).toBeTruthy();
    expect(wallet.chainId()).toBe(testChain().id);
    expect(wallet.prompts.wallet_addEthereumChain).toBe(1);
  });

  it("offers the demo token's faucet to a reader without tokens, then opens", async () => {
    const wallet = await reader({ tokens: 0n });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await connect();
    expect(await screen.findByText("You need 0.1 TKN for this deposit, and hold 0 TKN.")).toBeTruthy();
    const open = screen.getByRole("button", { name: "Open a channel with 0.1 TKN" });
    expect(open).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("button", { name: "Get 0.1 TKN from the test faucet" }));
    await waitFor(() => expect(open).toHaveProperty("disabled", false));
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("0.1"));
    await userEvent.click(open);
    expect(await screen.findByText("Your channel is open. You can read paid pages now.")).toBeTruthy();
  });

  it("takes an edited deposit and wallet mode: no session key, every payment confirmed in the wallet", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />);
    await connect();
    const deposit = await screen.findByRole("textbox", { name: "Deposit (TKN)" });
    await userEvent.fill(deposit, "0.0005");
    expect(await screen.findByText("Enter an amount greater than the price, like 0.1.")).toBeTruthy();
    await userEvent.fill(deposit, "0.05");
    expect(await screen.findByText(/Enough for about 50 pages/)).toBeTruthy();
    await userEvent.click(screen.getByRole("radio", { name: "Confirm each payment in my wallet" }));
    await userEvent.click(screen.getByRole("button", { name: "Open a channel with 0.05 TKN" }));
    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    const [{ channel }] = onChannelReady.mock.calls[0] ?? [];
    expect(channel.deposit).toBe(parseEther("0.05"));
    expect(channel.sessionKey).toBeUndefined();
  });

  it("after a rejected signature and a rejected transaction says so plainly, charges nothing, and retry works", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    wallet.rejectNext("eth_requestAccounts");
    await connect();
    expect(await screen.findByText("You rejected the request in your wallet. Nothing was charged.")).toBeTruthy();
    await connect();

    const open = await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" });
    wallet.rejectNext("eth_signTypedData_v4");
    await userEvent.click(open);
    expect(await screen.findByText("You rejected the request in your wallet. Nothing was charged.")).toBeTruthy();
    wallet.rejectNext("eth_sendTransaction");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(wallet.prompts.eth_sendTransaction).toBe(1));
    expect(await screen.findByText("You rejected the request in your wallet. Nothing was charged.")).toBeTruthy();
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("1"));

    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Your channel is open. You can read paid pages now.")).toBeTruthy();
    expect(await tokenBalance(wallet.account.address)).toBe(parseEther("0.9"));
  });

  it("never sends a reader with no ether to a transaction: it says so, and the sponsor's minimum opens", async () => {
    const wallet = await reader({ tokens: parseEther("1"), eth: 0n });
    const requirements = await requirementsOf("/articles/1");
    const onChannelReady = vi.fn();
    renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={onChannelReady} />);
    await connect();
    // The default deposit (0.1 TKN) is below what the site sponsors (0.5 TKN).
    expect(
      await screen.findByText(
        "Your account has no ETH for a network fee. The site pays the fee when you deposit at least 0.5 TKN.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Open a channel with 0.1 TKN" })).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("button", { name: "Deposit 0.5 TKN" }));
    expect(
      await screen.findByText("Opens with two signatures in your wallet and no transaction: the site pays the fee."),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Open a channel with 0.5 TKN" }));
    await waitFor(() => expect(onChannelReady).toHaveBeenCalledTimes(1));
    expect(wallet.prompts.eth_sendTransaction).toBe(0);
  });

  it("explains any other error in a sentence, with the details folded away", async () => {
    // One wei: not nothing, so the transaction is tried, and the node refuses it for its fee.
    await reader({ tokens: parseEther("1"), eth: 1n });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).queryByText(/rejected/)).toBeNull();
    expect(within(alert).getByText("Your account has not enough ETH to pay the network fee.")).toBeTruthy();
    const details = within(alert).getByText("Details").closest("details");
    expect(details?.open).toBe(false);
    expect(details?.textContent).toMatch(/fund|balance|gas/i);
  });

  it("reads the token through the wallet when the site's chain is not in the widget's config", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const elsewhere = { ...testChain(), id: 11_155_111, name: "Elsewhere" };
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />, { chains: [elsewhere] });
    expect(
      await screen.findByRole("heading", { name: /price details could not be read|Reading the price/ }),
    ).toBeTruthy();
    await connect();
    expect(await screen.findByRole("heading", { name: "This page costs 0.001 TKN." })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" })).toBeTruthy();
  });

  it("asks before paying more than the channel pays automatically: a pricier page, or a minute's payments used", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const cheap = await requirementsOf("/articles/1");
    const opened = vi.fn();
    const first = renderWidget(<Paywall requirements={cheap} url="/articles/1" onChannelReady={opened} />);
    await connect();
    // The reader sees what "Automatically" means before choosing it: this page's price.
    expect(await screen.findByRole("radio", { name: "Automatically, up to 0.001 TKN a page (no prompt per page)" }));
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
    const [{ channel }] = opened.mock.calls[0] ?? [];
    expect(channel.autoPay).toEqual({ maxPrice: cheap.price, perMinute: 30 });
    first.unmount();

    // A page at five times the price: the reader is asked, and nothing goes on until they approve that price.
    const dear = await requirementsOf("/articles/3");
    const approved = vi.fn();
    const second = renderWidget(<Paywall requirements={dear} url="/articles/3" onChannelReady={approved} />);
    expect(
      await screen.findByText(
        "This page costs 0.005 TKN, more than the 0.001 TKN a page your channel pays automatically.",
      ),
    ).toBeTruthy();
    expect(approved).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Pay 0.005 TKN for this page" }));
    await waitFor(() => expect(approved).toHaveBeenCalledTimes(1));
    expect(approved.mock.calls[0]?.[0].approvedPrice).toBe(dear.price);
    second.unmount();

    // Thirty automatic payments in the last minute (a script paying in a loop): the next page at the usual price asks.
    await indexedDbStorage().put({ ...channel, autoPaidAt: Array.from({ length: 30 }, () => Date.now()) });
    const next = vi.fn();
    renderWidget(<Paywall requirements={cheap} url="/articles/1" onChannelReady={next} />);
    expect(
      await screen.findByText("Your channel has paid 30 pages in the last minute, as many as it pays automatically."),
    ).toBeTruthy();
    expect(next).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Pay 0.001 TKN for this page" }));
    await waitFor(() => expect(next).toHaveBeenCalledTimes(1));
    expect(wallet.prompts.eth_signTypedData_v4).toBe(1); // the permit: approving asks the wallet nothing
  });

  it("asks once on a channel opened before channels carried a limit, instead of paying it automatically", async () => {
    await reader({ tokens: parseEther("1") });
    const cheap = await requirementsOf("/articles/1");
    const opened = vi.fn();
    const first = renderWidget(<Paywall requirements={cheap} url="/articles/1" onChannelReady={opened} />);
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
    const [{ channel }] = opened.mock.calls[0] ?? [];
    first.unmount();

    // The same channel as an earlier version stored it: a session key, no limit of its own.
    const { autoPay: _, ...unlimited } = channel;
    await indexedDbStorage().put(unlimited);
    const next = vi.fn();
    renderWidget(<Paywall requirements={cheap} url="/articles/1" onChannelReady={next} />);
    expect(
      await screen.findByText(
        "Your channel was opened before channels had a limit on automatic payments. Pay 0.001 TKN for this page, and it pays up to 0.001 TKN a page automatically from now on.",
      ),
    ).toBeTruthy();
    expect(next).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Pay 0.001 TKN for this page" }));
    await waitFor(() => expect(next).toHaveBeenCalledTimes(1));
    expect(next.mock.calls[0]?.[0].approvedPrice).toBe(cheap.price);
  });

  it("says so when the wallet does not answer after connecting, and a retry goes on: never stuck loading", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    // The widget's first look at the connected wallet (web-client's reconnect) fails, as a busy wallet's can.
    const request = wallet.provider.request.bind(wallet.provider);
    let failed = false;
    Object.assign(wallet.provider, {
      request: async (args: { method: string; params?: unknown }) => {
        // The widget's own calls pass through its wallet-activity observer; wagmi's do not.
        if (args.method === "eth_accounts" && !failed && new Error().stack?.includes("walletActivity")) {
          failed = true;
          throw Object.assign(new Error("The wallet is busy."), { code: -32002 });
        }
        return request(args as Parameters<typeof request>[0]);
      },
    });
    const requirements = await requirementsOf("/articles/1");
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    await connect();
    const alert = await screen.findByRole("alert");
    expect(failed).toBe(true);
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" })).toBeTruthy();
  });

  it("says why a channel opened on another site or browser asks the wallet for each payment here", async () => {
    await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const opened = vi.fn();
    const first = renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={opened} />);
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
    const [{ channel }] = opened.mock.calls[0] ?? [];
    first.unmount();
    // What another origin finds on chain: the channel and its delegated signer, but not the key (that origin's storage).
    await indexedDbStorage().put({ ...channel, sessionKey: undefined });
    renderWidget(<Paywall requirements={requirements} url="/articles/1" />);
    // The reader is offered a key of this site's own first, and may prefer the wallet.
    await userEvent.click(await screen.findByRole("button", { name: "Confirm each payment in my wallet instead" }));
    expect(
      await screen.findByText(
        "This channel pays automatically only where it was opened (another site or browser). Here, you confirm each payment in your wallet.",
      ),
    ).toBeTruthy();
  });

  it("gives a site that does not hold the channel's key automatic payments with one signature and no transaction", async () => {
    const wallet = await reader({ tokens: parseEther("1") });
    const requirements = await requirementsOf("/articles/1");
    const opened = vi.fn();
    const first = renderWidget(<Paywall requirements={requirements} url="/articles/1" onChannelReady={opened} />);
    await connect();
    await userEvent.click(await screen.findByRole("button", { name: "Open a channel with 0.1 TKN" }));
    await waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
    const [{ channel }] = opened.mock.calls[0] ?? [];
    first.unmount();
    // What another origin finds on chain: the channel and its delegated signer, but not the key.
    await indexedDbStorage().put({ ...channel, sessionKey: undefined, autoPay: undefined });
    const before = { ...wallet.prompts };
    const paid: number[] = [];
    renderWidget(
      <Paywall
        requirements={requirements}
        url="/articles/1"
        onChannelReady={async ({ client }) => {
          for (const path of ["/articles/1", "/articles/1", "/articles/1"]) {
            paid.push((await fetchWithStoredChannel(client, { input: path, init: { cache: "no-store" } })).status);
          }
        }}
      />,
    );
    expect(
      await screen.findByText(/this site cannot use its key.*it pays automatically too, up to 0\.001 TKN a page/),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Pay automatically here too (one signature, no fee)" }));
    await waitFor(() => expect(paid).toEqual([200, 200, 200]), { timeout: 15_000 });
    expect(wallet.prompts.eth_signTypedData_v4 - before.eth_signTypedData_v4).toBe(1);
    expect(wallet.prompts.eth_sendTransaction - before.eth_sendTransaction).toBe(0);
    const stored = await indexedDbStorage().get(channel);
    expect(stored?.signerDelegation).toBeDefined();
    expect(stored?.sessionKey).toBeDefined();
    expect(stored?.autoPay).toEqual({ maxPrice: requirements.price, perMinute: 30 });
  });

  it("with the chain unreachable, still shows the price the page gave, says what is wrong and reads again", async () => {
    const requirements = await requirementsOf("/articles/1");
    // The site's chain as the widget is told it, with an RPC URL nothing answers on.
    const unreachable = { ...testChain(), rpcUrls: { default: { http: ["http://127.0.0.1:9/"] } } };
    renderWidget(<Paywall requirements={requirements} url="/articles/1" token={{ symbol: "TKN", decimals: 18 }} />, {
      chains: [unreachable],
    });
    expect(screen.getByRole("heading", { name: "This page costs 0.001 TKN." })).toBeTruthy();
    const alert = await screen.findByRole("alert", {}, { timeout: 20_000 });
    expect(
      within(alert).getByText(
        "This site's chain could not be read. Check your connection, or connect your wallet, and try again.",
      ),
    ).toBeTruthy();
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "This page costs 0.001 TKN." })).toBeTruthy();
  });

  it("speaks German when asked", async () => {
    const requirements = await requirementsOf("/articles/3");
    renderWidget(<Paywall requirements={requirements} url="/articles/3" />, { locale: "de" });
    expect(await screen.findByRole("heading", { name: "Diese Seite kostet 0,005 TKN." })).toBeTruthy();
  });
});
