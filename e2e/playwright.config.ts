// The e2e run: Playwright in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) against the chain, the
// receiver and the content site that harness/globalSetup.ts starts. Three projects: `journeys` (the reader's journeys,
// `npm test -w e2e`), `screenshots` (`npm run screenshots`: PNGs of every paywall state for the widget's docs) and
// `bench` (`npm run bench:e2e`: time to content, paid against free; time to the price on a cold cache, local and on
// Slow 4G, and from the deposit to the paid article).
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "../scripts/chromium.ts";

export default defineConfig({
  globalSetup: "./harness/globalSetup.ts",
  // Two cores: one worker per core, each journey in its own browser context with its own reader and channel.
  workers: 2,
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ["./nodeStyleReporter.ts"]],
  use: {
    headless: true,
    launchOptions: chromiumLaunchOptions,
    trace: "retain-on-failure",
  },
  outputDir: "test-results",
  projects: [
    { name: "journeys", testDir: "./journeys", testMatch: /\.spec\.ts$/ },
    {
      name: "screenshots",
      testDir: "./screenshots",
      testMatch: /\.shots\.ts$/,
      use: { viewport: { width: 900, height: 760 } },
    },
    { name: "bench", testDir: "./bench", testMatch: /\.bench\.ts$/ },
  ],
});
