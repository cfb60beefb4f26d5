import { createHash } from "node:crypto";
import { Hono } from "hono";
import { operatorDashboardScript } from "./operatorDashboardScript.ts";

/** Where the receiver serves the operator's dashboard page, and its script beside it. */
export const dashboardPaths = { page: "/micro-raiden/operator", script: "/micro-raiden/operator.js" } as const;

const style = `
  :root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; }
  [hidden] { display: none !important; }
  body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
  .meta { color: #4a5360; font-size: 0.9rem; overflow-wrap: anywhere; }
  form#login { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; max-width: 36rem; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  input, select, button { font: inherit; padding: 0.45rem 0.7rem; border-radius: 6px; border: 1px solid #8a93a0; }
  button { background: #1f5fbf; color: #fff; border-color: #1f5fbf; cursor: pointer; }
  button.secondary { background: #fff; color: #1f5fbf; }
  button.danger { background: #a4262c; border-color: #a4262c; }
  button:disabled { background: #c9ced6; border-color: #c9ced6; color: #4a5360; cursor: not-allowed; }
  :focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .error { color: #a4262c; }
  .toolbar { display: flex; gap: 0.75rem; align-items: end; flex-wrap: wrap; }
  dl.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.75rem; }
  dl.cards div { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 0.75rem 1rem; }
  dt { color: #4a5360; font-size: 0.85rem; } dd { margin: 0.2rem 0 0; font-size: 1.25rem; font-weight: 600; }
  dd small { display: block; font-size: 0.8rem; font-weight: 400; color: #4a5360; }
  svg#chart { width: 100%; height: auto; background: #fff; border: 1px solid #dde1e6; border-radius: 8px; }
  svg .bar { fill: #1f5fbf; } svg .grid { stroke: #dde1e6; } svg .axis { font-size: 12px; fill: #4a5360; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #dde1e6; font-variant-numeric: tabular-nums; }
  #action-log { padding-left: 1.25rem; overflow-wrap: anywhere; }
`;
const styleHash = createHash("sha256").update(style).digest("base64");

/**
 * The page shell: a sign-in form and the empty dashboard. It holds no data (everything it shows comes from the
 * operator-only `GET <gateway>/dashboard` with the token), so serving it without the token gives nothing away.
 */
function page(gatewayPath: string): string {
  const table = (id: string, caption: string, headings: string[]) =>
    `<table><caption class="meta">${caption}</caption><thead><tr>${headings
      .map((heading) => `<th scope="col">${heading}</th>`)
      .join("")}</tr></thead><tbody id="${id}"></tbody></table>`;
  const channelColumns = ["Sender", "Open block", "Deposit", "Paid", "Withdrawn"];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Receiver dashboard · µRaiden</title>
<style>${style}</style>
</head>
<body data-api="${escapeAttribute(gatewayPath)}">
<header>
<h1>µRaiden receiver: operator dashboard</h1>
</header>
<main>
<form id="login" hidden>
  <div>
    <label for="token">Operator token</label>
    <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required size="40">
  </div>
  <button type="submit">Sign in</button>
  <p id="login-error" class="error" role="alert"></p>
</form>
<div id="dashboard" hidden>
  <p class="meta">Receiver <span id="receiver"></span> on chain <span id="chain"></span></p>
  <div class="toolbar">
    <div>
      <label for="period">Period</label>
      <select id="period">
        <option value="1">Last 24 hours</option>
        <option value="7" selected>Last 7 days</option>
        <option value="30">Last 30 days</option>
        <option value="90">Last 90 days</option>
      </select>
    </div>
    <button type="button" id="refresh" class="secondary">Refresh</button>
    <button type="button" id="sign-out" class="secondary">Sign out</button>
  </div>
  <p id="load-error" class="error" role="alert"></p>
  <h2 id="summary-heading">Summary</h2>
  <dl class="cards" aria-labelledby="summary-heading">
    <div><dt>Earned in the period</dt><dd id="earned"></dd><dd><small id="earned-payments"></small></dd></div>
    <div><dt>Withdrawable now</dt><dd id="withdrawable"></dd><dd><small id="withdrawable-channels"></small></dd></div>
    <div><dt>Paid, not yet withdrawn</dt><dd id="unwithdrawn"></dd></div>
    <div><dt>In the receiver's wallet</dt><dd id="liquid"></dd></div>
    <div><dt>Channels open</dt><dd id="count-open"></dd></div>
    <div><dt>Opening (unconfirmed)</dt><dd id="count-pending"></dd></div>
    <div><dt>Closing (challenge period)</dt><dd id="count-closing"></dd></div>
    <div><dt>Settled</dt><dd id="count-settled"></dd></div>
    <div><dt>Sponsored opens (since start)</dt><dd id="sponsored"></dd></div>
  </dl>
  <h2>Earned over time</h2>
  <svg id="chart" role="img" xmlns="http://www.w3.org/2000/svg"></svg>
  <h2>Operator actions</h2>
  <div class="toolbar">
    <button type="button" id="withdraw">Batch withdraw</button>
    <button type="button" id="close-all" class="danger">Close all channels</button>
  </div>
  <p id="action-status" role="status" aria-live="polite"></p>
  <ol id="action-log" aria-label="Transactions"></ol>
  <h2>Top resources by revenue</h2>
  ${table("resources", "Paid requests by path, in the period", ["Resource", "Revenue", "Payments"])}
  <h2>Pending challenges</h2>
  ${table("challenges", "Channels whose sender asked to close without the receiver; the receiver challenges a close below its latest payment before the period ends.", channelColumns)}
  <h2>Open channels</h2>
  ${table("channels", "The 50 that were paid most", channelColumns)}
</div>
</main>
<script src="${dashboardPaths.script}" defer></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * The operator's dashboard page (`GET /micro-raiden/operator`) and its script. Its data and commands go through the
 * REST API's operator endpoints with the token as a bearer header; the Content-Security-Policy lets the page run
 * only its own script and talk only to its own origin, and no other site may frame it.
 */
export function operatorDashboard(options: { gatewayPath: string }): Hono {
  const app = new Hono();
  const html = page(options.gatewayPath);
  const script = `"use strict";\n(${operatorDashboardScript.toString()})();\n`;
  const security = {
    "content-security-policy": [
      "default-src 'none'",
      "script-src 'self'",
      `style-src 'sha256-${styleHash}'`,
      "connect-src 'self'",
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  };
  app.get(dashboardPaths.page, (c) => c.html(html, 200, security));
  app.get(dashboardPaths.script, (c) =>
    c.body(script, 200, { ...security, "content-type": "text/javascript; charset=utf-8" }),
  );
  return app;
}
