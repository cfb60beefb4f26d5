// Test readers that are stopped (no longer announced) after each test, so every test meets only its own wallet.
import { afterEach } from "vitest";
import type { TestWallet } from "./createTestWallet.ts";
import { newReader } from "./testEnvironment.ts";

let active: (TestWallet & { stop(): void })[] = [];
afterEach(() => {
  for (const reader of active) reader.stop();
  active = [];
  Reflect.deleteProperty(window, "ethereum");
});

/** A funded reader whose wallet is announced on this page for the current test only. */
export async function reader(options: Parameters<typeof newReader>[0] = {}): Promise<TestWallet> {
  const wallet = await newReader(options);
  active.push(wallet);
  return wallet;
}
