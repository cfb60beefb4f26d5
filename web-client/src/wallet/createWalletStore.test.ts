// The wallet store keeps listening: a wallet extension that announces itself after the page asked is still found.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { createWalletStore } from "./createWalletStore.ts";
import type { WalletDetail } from "./WalletDetail.ts";

const detail = (uuid: string, name: string) => ({
  info: { uuid, name, icon: "data:image/svg+xml,<svg/>", rdns: `io.${name}` },
  provider: { request: async () => null },
});

function installWindow(announceOnRequest: ReturnType<typeof detail>[]) {
  const target = new EventTarget();
  const announce = (wallet: unknown) =>
    target.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: wallet }));
  target.addEventListener("eip6963:requestProvider", () => {
    for (const wallet of announceOnRequest) announce(wallet);
  });
  Reflect.set(globalThis, "window", target);
  return { announce };
}

describe("createWalletStore", () => {
  afterEach(() => {
    Reflect.deleteProperty(globalThis, "window");
  });

  it("reports wallets that announce late, each once, and a new list only on change", () => {
    const page = installWindow([detail("1", "metamask")]);
    const store = createWalletStore();
    const seen: (readonly WalletDetail[])[] = [];
    store.subscribe((wallets) => seen.push(wallets), { emitImmediately: true });
    assert.deepEqual(
      seen.map((wallets) => wallets.map((w) => w.info.name)),
      [["metamask"]],
    );
    const before = store.getProviders();
    page.announce(detail("1", "metamask")); // again: no change
    page.announce({ info: { uuid: "x" }, provider: {} }); // malformed: ignored
    assert.equal(store.getProviders(), before);
    page.announce(detail("2", "rabby")); // an extension that loaded after the page
    assert.deepEqual(
      seen.map((wallets) => wallets.map((w) => w.info.name)),
      [["metamask"], ["metamask", "rabby"]],
    );
    assert.equal(store.findProvider({ rdns: "io.rabby" })?.info.uuid, "2");
    store.destroy();
    page.announce(detail("3", "late"));
    assert.equal(seen.length, 2);
  });

  it("reset forgets the wallets and asks them again", () => {
    installWindow([detail("1", "metamask")]);
    const store = createWalletStore();
    const seen: string[][] = [];
    store.subscribe((wallets) => seen.push(wallets.map((w) => w.info.name)));
    store.reset();
    assert.deepEqual(seen, [[], ["metamask"]]);
  });

  it("stays empty outside a browser", () => {
    const store = createWalletStore();
    assert.deepEqual(store.getProviders(), []);
    store.destroy();
  });
});
