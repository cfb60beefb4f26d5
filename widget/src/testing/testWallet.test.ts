// The shared test wallet behaves like MetaMask where the widget relies on it, against the real test chain.
import { UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { newReader, requirementsOf, testChain, testDeployment, tokenBalance } from "./testEnvironment.ts";

describe("test wallet", () => {
  it("is announced through EIP-6963, gives no account before the reader connects, then one", async () => {
    const announced: string[] = [];
    const onAnnounce = (event: Event) => {
      if (event instanceof CustomEvent) announced.push(event.detail.info.rdns);
    };
    window.addEventListener("eip6963:announceProvider", onAnnounce);
    const reader = await newReader();
    window.dispatchEvent(new Event("eip6963:requestProvider"));
    window.removeEventListener("eip6963:announceProvider", onAnnounce);
    reader.stop();
    expect(announced.filter((rdns) => rdns === "org.micro-raiden.test-wallet").length).toBeGreaterThanOrEqual(2);
    expect(await reader.provider.request({ method: "eth_accounts" })).toEqual([]);
    expect(await reader.provider.request({ method: "eth_requestAccounts" })).toEqual([reader.account.address]);
    expect(reader.prompts.eth_requestAccounts).toBe(1);
  });

  it("rejects with 4001 when told to, then works again", async () => {
    const reader = await newReader();
    reader.rejectNext("eth_requestAccounts");
    await expect(reader.provider.request({ method: "eth_requestAccounts" })).rejects.toMatchObject({
      code: UserRejectedRequestError.code,
    });
    expect(await reader.provider.request({ method: "eth_requestAccounts" })).toEqual([reader.account.address]);
    reader.stop();
  });

  it("answers 4902 for a chain it does not know, switches after the chain is added", async () => {
    const reader = await newReader({ chains: [{ ...testChain(), id: 1 }] });
    await expect(
      reader.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x7a69" }] }),
    ).rejects.toMatchObject({ code: 4902 });
    reader.addChain(testChain());
    await reader.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x7a69" }] });
    expect(reader.chainId()).toBe(testChain().id);
    reader.stop();
  });

  it("holds the demo tokens it was funded with, and the receiver asks for them", async () => {
    const reader = await newReader({ tokens: 5n });
    expect(await tokenBalance(reader.account.address)).toBe(5n);
    const requirements = await requirementsOf("/articles/1");
    expect(requirements.token).toBe(testDeployment().token);
    expect(requirements.chainId).toBe(testChain().id);
    reader.stop();
  });
});
