import type { DashboardData } from "./dashboardData.ts";

/**
 * The operator dashboard's code in the browser. operatorDashboard.ts sends this function's source as the page's only
 * script, so it must be self-contained: everything it uses is declared inside it (types are erased either way).
 *
 * The operator's token is typed into the sign-in form, kept in sessionStorage (gone with the tab) and sent only as
 * the `Authorization: Bearer` header of the dashboard's own requests. Everything shown is set as text, never as
 * markup, and the page's Content-Security-Policy allows this script and nothing else.
 */
export function operatorDashboardScript(): void {
  type Channel = DashboardData["channels"]["open"][number];
  type Result = {
    sender_address: string;
    open_block: string;
    balance: string;
    transaction_hash: string | null;
    error?: string;
    skipped_reason?: string;
  };

  const tokenKey = "micro-raiden-operator-token";
  const api = document.body.dataset.api ?? "/api/1";
  const svgNs = "http://www.w3.org/2000/svg";
  let data: DashboardData | undefined;

  function element(id: string): HTMLElement {
    const found = document.getElementById(id);
    if (!found) throw new Error(`The dashboard page has no #${id}.`);
    return found;
  }
  function typed<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
    const found = element(id);
    if (!(found instanceof type)) throw new Error(`#${id} is not a ${type.name}.`);
    return found;
  }
  const loginForm = element("login");
  const tokenInput = typed("token", HTMLInputElement);
  const loginError = element("login-error");
  const dashboard = element("dashboard");
  const periodSelect = typed("period", HTMLSelectElement);
  const actionLog = element("action-log");
  const actionStatus = element("action-status");
  const withdrawButton = typed("withdraw", HTMLButtonElement);
  const closeAllButton = typed("close-all", HTMLButtonElement);

  /** `value` base units as tokens, with the token's decimals and symbol ("1,234.5 USDC"); no float on the way. */
  function formatAmount(value: string): string {
    const token = data?.token ?? { decimals: 0, symbol: "" };
    const amount = BigInt(value);
    const unit = 10n ** BigInt(token.decimals);
    const fraction = (amount % unit).toString().padStart(token.decimals, "0").replace(/0+$/, "");
    return `${(amount / unit).toLocaleString("en-US")}${fraction ? `.${fraction}` : ""} ${token.symbol}`.trim();
  }
  const short = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-6)}`;
  function setText(id: string, text: string) {
    element(id).textContent = text;
  }
  function bucketLabel(start: number, bucket: string): string {
    const date = new Date(start);
    return bucket === "hour"
      ? `${date.toISOString().slice(11, 16)} UTC`
      : date.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  }

  async function call(path: string, init: RequestInit = {}): Promise<Response | undefined> {
    const token = sessionStorage.getItem(tokenKey);
    if (!token) return signOut();
    const response = await fetch(`${api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      cache: "no-store",
    });
    if (response.status === 401) return signOut("The receiver refused this token.");
    return response;
  }

  function signOut(message = ""): undefined {
    sessionStorage.removeItem(tokenKey);
    data = undefined;
    dashboard.hidden = true;
    loginForm.hidden = false;
    loginError.textContent = message;
    tokenInput.focus();
    return undefined;
  }

  // The answers are the receiver's own, but checked all the same: a proxy's error page or another version's answer
  // then reads as "could not be read", never as wrong figures.
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  const isDecimal = (v: unknown): v is string => typeof v === "string" && /^(0|[1-9][0-9]*)$/.test(v);
  const isChannel = (c: unknown) =>
    isRecord(c) && typeof c.sender === "string" && [c.open_block, c.deposit, c.balance, c.withdrawn].every(isDecimal);
  function isDashboard(json: unknown): json is DashboardData {
    if (!isRecord(json) || !isRecord(json.token) || !isRecord(json.earnings) || !isRecord(json.channels)) return false;
    const { token, earnings, channels } = json;
    return (
      typeof token.symbol === "string" &&
      Number.isInteger(token.decimals) &&
      Array.isArray(earnings.series) &&
      earnings.series.every((p) => isRecord(p) && typeof p.start === "number" && isDecimal(p.amount)) &&
      Array.isArray(earnings.top_resources) &&
      earnings.top_resources.every((r) => isRecord(r) && typeof r.resource === "string" && isDecimal(r.amount)) &&
      isDecimal(earnings.total) &&
      isRecord(channels.counts) &&
      Array.isArray(channels.open) &&
      Array.isArray(channels.closing) &&
      [...channels.open, ...channels.closing].every(isChannel) &&
      isRecord(json.withdrawable) &&
      isDecimal(json.withdrawable.amount) &&
      isDecimal(json.unwithdrawn) &&
      isDecimal(json.liquid_balance)
    );
  }
  const isResults = (json: unknown): json is Result[] =>
    Array.isArray(json) &&
    json.every((r) => isRecord(r) && typeof r.sender_address === "string" && isDecimal(r.open_block));

  async function load(): Promise<void> {
    const response = await call(`/dashboard?days=${periodSelect.value}`).catch(() => undefined);
    const json: unknown = response?.ok ? await response.json().catch(() => undefined) : undefined;
    if (!response || !isDashboard(json)) {
      if (response || sessionStorage.getItem(tokenKey)) {
        setText(
          "load-error",
          `The dashboard could not be read (${response ? `HTTP ${response.status}` : "no answer"}).`,
        );
      }
      return;
    }
    data = json;
    loginForm.hidden = true;
    dashboard.hidden = false;
    setText("load-error", "");
    render(data);
  }

  function render(d: DashboardData) {
    const { counts } = d.channels;
    setText("receiver", d.receiver);
    setText("chain", String(d.chain_id));
    setText("earned", formatAmount(d.earnings.total));
    setText("earned-payments", `${d.earnings.payments} payment(s)`);
    setText("withdrawable", formatAmount(d.withdrawable.amount));
    setText("withdrawable-channels", `from ${d.withdrawable.channels} channel(s)`);
    setText("unwithdrawn", formatAmount(d.unwithdrawn));
    setText("liquid", formatAmount(d.liquid_balance));
    setText("sponsored", d.sponsored_opens === null ? "off" : String(d.sponsored_opens));
    setText("count-open", String(counts.open));
    setText("count-pending", String(counts.pending));
    setText("count-closing", String(counts.closing));
    setText("count-settled", String(counts.settled));
    drawChart(d);
    fillTable(
      "resources",
      d.earnings.top_resources.map((r) => [
        r.resource || "(closes at a higher balance)",
        formatAmount(r.amount),
        String(r.payments),
      ]),
      "No payments in this period.",
    );
    const row = (c: Channel) => [
      short(c.sender),
      c.open_block,
      formatAmount(c.deposit),
      formatAmount(c.balance),
      formatAmount(c.withdrawn),
    ];
    fillTable("challenges", d.channels.closing.map(row), "None: no sender is closing a channel without you.");
    fillTable("channels", d.channels.open.map(row), "No open channels.");
    withdrawButton.disabled = !d.can_operate || d.withdrawable.channels === 0;
    closeAllButton.disabled = !d.can_operate || counts.open + counts.closing === 0;
  }

  function fillTable(id: string, rows: string[][], empty: string) {
    const tbody = element(id);
    tbody.replaceChildren();
    for (const cells of rows.length ? rows : [[empty]]) {
      const tr = document.createElement("tr");
      for (const cell of cells) {
        const td = document.createElement("td");
        td.textContent = cell;
        if (!rows.length) td.colSpan = 5;
        tr.append(td);
      }
      tbody.append(tr);
    }
  }

  /** Bars, one per hour or day, scaled to the period's largest; each bar's title gives its figure. */
  function drawChart(d: DashboardData) {
    const svg = element("chart");
    const [width, height, left, right, top, bottom] = [720, 240, 96, 12, 12, 28];
    const series = d.earnings.series;
    const max = series.reduce((m, point) => (BigInt(point.amount) > m ? BigInt(point.amount) : m), 0n);
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const step = plotWidth / Math.max(series.length, 1);
    const node = (name: string, attributes: Record<string, string | number>, text?: string) => {
      const created = document.createElementNS(svgNs, name);
      for (const [key, value] of Object.entries(attributes)) created.setAttribute(key, String(value));
      if (text !== undefined) created.textContent = text;
      return created;
    };
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute(
      "aria-label",
      `Earned per ${d.earnings.bucket} over the last ${d.earnings.days} day(s): ${formatAmount(d.earnings.total)} in total.`,
    );
    for (const fraction of [0, 0.5, 1]) {
      const y = top + plotHeight * (1 - fraction);
      svg.append(node("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid" }));
      const amount = max === 0n ? "0" : ((max * BigInt(fraction * 2)) / 2n).toString();
      svg.append(node("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" }, formatAmount(amount)));
    }
    series.forEach((point, index) => {
      const amount = BigInt(point.amount);
      // Per mille of the largest bar: exact in bigint, then a small number for the drawing.
      const barHeight = max === 0n ? 0 : (Number((amount * 1000n) / max) / 1000) * plotHeight;
      const bar = node("rect", {
        x: left + index * step + step * 0.1,
        y: top + plotHeight - barHeight,
        width: step * 0.8,
        height: barHeight,
        class: "bar",
      });
      bar.append(node("title", {}, `${bucketLabel(point.start, d.earnings.bucket)}: ${formatAmount(point.amount)}`));
      svg.append(bar);
    });
    const labelled = [...new Set([0, Math.floor((series.length - 1) / 2), series.length - 1])];
    for (const index of labelled) {
      const point = series[index];
      if (!point) continue;
      const x = left + index * step + step / 2;
      // The first and last labels align to their bar's side so they stay inside the chart.
      const anchor = index === 0 ? "start" : index === series.length - 1 ? "end" : "middle";
      svg.append(
        node(
          "text",
          {
            x: anchor === "start" ? x - step / 2 : anchor === "end" ? x + step / 2 : x,
            y: height - 8,
            "text-anchor": anchor,
            class: "axis",
          },
          bucketLabel(point.start, d.earnings.bucket),
        ),
      );
    }
  }

  /** Runs withdraw or close-all and reports each transaction as the receiver answers. */
  /** The operator's latest log lines (transactions sent and mined); none when they cannot be read. */
  async function activity(): Promise<{ at: number; message: string }[]> {
    const response = await call("/dashboard/activity").catch(() => undefined);
    const json: unknown = response?.ok ? await response.json().catch(() => undefined) : undefined;
    if (!Array.isArray(json)) return [];
    return json.filter(
      (line): line is { at: number; message: string } =>
        isRecord(line) && typeof line.at === "number" && typeof line.message === "string",
    );
  }

  async function operate(kind: "withdraw" | "close-all", label: string) {
    withdrawButton.disabled = true;
    closeAllButton.disabled = true;
    actionLog.replaceChildren();
    const started = Date.now();
    const waiting = () =>
      `${label}: transactions sent, waiting for them to be mined (${Math.round((Date.now() - started) / 1000)} s)…`;
    actionStatus.textContent = `${label}: sending…`;
    // Each transaction is listed as the receiver logs it sent and then mined, while the command runs.
    const key = (line: { at: number; message: string }) => `${line.at} ${line.message}`;
    const seen = new Set((await activity()).map(key));
    const follow = async () => {
      for (const line of await activity()) {
        if (seen.has(key(line))) continue;
        seen.add(key(line));
        const item = document.createElement("li");
        item.textContent = `${new Date(line.at).toISOString().slice(11, 19)} UTC: ${line.message}`;
        actionLog.append(item);
      }
    };
    const timer = setInterval(() => {
      actionStatus.textContent = waiting();
      void follow();
    }, 1000);
    try {
      const response = await call(`/${kind}`, { method: "POST", body: "{}" }).catch(() => undefined);
      if (!response) {
        // Signed out (a refused token), or the connection failed: the transactions may have gone out all the same.
        actionStatus.textContent = sessionStorage.getItem(tokenKey)
          ? `${label}: no answer from the receiver; refresh to see what happened.`
          : "";
        return;
      }
      if (!response.ok) {
        actionStatus.textContent = `${label} failed: HTTP ${response.status}.`;
        return;
      }
      const results: unknown = await response.json().catch(() => undefined);
      await follow();
      if (!isResults(results)) {
        actionStatus.textContent = `${label}: the receiver's answer could not be read; refresh to see what happened.`;
        return;
      }
      const byTransaction = new Map<string, Result[]>();
      for (const result of results) {
        const key = result.transaction_hash ?? "";
        byTransaction.set(key, [...(byTransaction.get(key) ?? []), result]);
      }
      for (const [hash, entries] of byTransaction) {
        const done = entries.filter((r) => !r.error && !r.skipped_reason);
        const item = document.createElement("li");
        const problems = entries
          .filter((r) => r.error || r.skipped_reason)
          .map((r) => `${short(r.sender_address)}:${r.open_block} ${r.error ?? `skipped (${r.skipped_reason})`}`);
        item.textContent = `${hash ? `Transaction ${hash} mined` : "Not sent"}: ${done.length} channel(s) done${
          problems.length ? `; ${problems.join("; ")}` : ""
        }.`;
        actionLog.append(item);
      }
      actionStatus.textContent = results.length
        ? `${label}: done, ${results.filter((r) => !r.error && !r.skipped_reason).length} of ${results.length} channel(s).`
        : `${label}: nothing to do.`;
      await load();
    } finally {
      clearInterval(timer);
      if (data) render(data);
    }
  }

  loginForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) {
      loginError.textContent = "Enter the operator token.";
      return;
    }
    sessionStorage.setItem(tokenKey, token);
    tokenInput.value = "";
    void load();
  });
  periodSelect.addEventListener("change", () => void load());
  element("refresh").addEventListener("click", () => void load());
  element("sign-out").addEventListener("click", () => signOut());
  withdrawButton.addEventListener("click", () => void operate("withdraw", "Batch withdraw"));
  closeAllButton.addEventListener("click", () => {
    // Closing ends every reader's channel: asked once more, with the browser's own (keyboard-usable) dialog.
    if (window.confirm("Close every channel at its latest payment? Readers must open new channels to pay again.")) {
      void operate("close-all", "Close all");
    }
  });
  if (sessionStorage.getItem(tokenKey)) void load();
  else signOut();
}
