// Vitest for the widget: every `src/**/*.test.{ts,tsx}` runs in real Chromium (browser mode through Playwright),
// against a real local chain and the real receiver that the global setup starts. `*.node.test.ts` files drive
// Playwright from Node and run under `node --test` instead.

import { playwright } from "@vitest/browser-playwright";
import { defaultClientConditions } from "vite";
import { defineConfig } from "vitest/config";
import { chromiumLaunchOptions } from "../scripts/chromium.ts";
import { receiverProxy } from "./src/testing/receiverProxy.ts";

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, never to a stale dist/.
  resolve: { conditions: ["@micro-raiden/source", ...defaultClientConditions] },
  // The global setup (the chain and the receiver) runs in Node, in Vitest's own "__vitest__" environment, which
  // resolves with the server conditions: it needs the condition too (Vitest adds its defaults to this list).
  environments: { __vitest__: { resolve: { conditions: ["@micro-raiden/source"] } } },
  plugins: [receiverProxy()],
  // Found up front, so Vite does not reload a test page halfway to optimize a dependency it just met.
  optimizeDeps: {
    include: [
      "@tanstack/react-query",
      "@testing-library/react",
      "axe-core",
      "react",
      "react-dom/client",
      "react/jsx-dev-runtime",
      "viem",
      "viem/accounts",
      "viem/chains",
      "wagmi",
    ],
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    exclude: ["src/**/*.node.test.ts", "node_modules/**"],
    globalSetup: ["./src/testing/globalSetup.ts"],
    setupFiles: ["./src/testing/setup.ts"],
    // Vitest's own report, then node's summary lines for the repository's test runner and CI.
    reporters: ["default", "./src/testing/nodeStyleSummary.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: chromiumLaunchOptions,
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
