// Wallet discovery with EIP-6963 announcements and the window.ethereum fallback, on a stand-in `window`.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { discoverWallets } from "./discoverWallets.ts";

const provider = (name: string) => ({ name, request: async () => null });

function installWindow(announce: { uuid: string; name: string; provider: unknown }[], ethereum?: unknown) {
  const target = new EventTarget();
  target.addEventListener("eip6963:requestProvider", () => {
    for (const wallet of announce) {
      const detail = {
        info: { uuid: wallet.uuid, name: wallet.name, icon: "data:image/svg+xml,<svg/>", rdns: `io.${wallet.name}` },
        provider: wallet.provider,
      };
      target.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
      // Wallets may announce twice (on load and on request): each must appear once.
      target.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail }));
    }
  });
  Object.assign(target, { ethereum });
  Reflect.set(globalThis, "window", target);
}

describe("discoverWallets", () => {
  afterEach(() => {
    Reflect.deleteProperty(globalThis, "window");
  });

  it("lists each EIP-6963 wallet once, ignoring malformed announcements", async () => {
    installWindow([
      { uuid: "1", name: "metamask", provider: provider("metamask") },
      { uuid: "2", name: "rabby", provider: provider("rabby") },
      { uuid: "3", name: "broken", provider: { notAProvider: true } },
    ]);
    const wallets = await discoverWallets({ timeout: 10 });
    assert.deepEqual(
      wallets.map((w) => w.info.name),
      ["metamask", "rabby"],
    );
  });

  it("falls back to window.ethereum when no wallet announces itself", async () => {
    installWindow([], provider("legacy"));
    const wallets = await discoverWallets({ timeout: 10 });
    assert.equal(wallets.length, 1);
    assert.equal(wallets[0]?.info.rdns, "window.ethereum");
  });

  it("finds nothing outside a browser", async () => {
    assert.deepEqual(await discoverWallets({ timeout: 10 }), []);
  });
});
