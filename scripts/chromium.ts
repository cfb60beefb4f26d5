// How every browser test of the repo launches Chromium: Debian's (Playwright cannot download its own browsers here;
// `.ci/run` installs it), at CHROMIUM_PATH or /usr/bin/chromium, with flags that keep a headless run off the network
// and quiet (no sandbox: CI runs as root). Vitest's browser mode, the widget's node tests, the package check and the
// e2e journeys all take these options.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
