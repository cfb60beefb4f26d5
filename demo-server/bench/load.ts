// Load generator for bench:server, run as its own process so it does not compete with the server's event loop:
// N concurrent senders, each sending its requests one after another over a keep-alive connection.
//   node bench/load.ts <requests.json> <baseUrl>[,<baseUrl>…] [rate]   (sender i sends to base URL i mod their number)
// Without a rate, each sender sends its next request as soon as the last is answered (closed loop: it measures
// throughput, and its latencies are mostly the queue the senders themselves build). With a rate (requests per second
// over all senders), each request has a scheduled time, the senders staggered evenly, and its latency is counted from
// that time (open loop, no coordinated omission: a request sent late because its sender's previous one was slow counts
// the wait too). A sender still waits for its previous answer: its balance proofs must arrive in order.
// requests.json: { "senders": [ [ { "path": "/x", "headers": { ... } }, ... ], ... ] }
import { readFile } from "node:fs/promises";
import { Agent, request } from "node:http";

type Planned = { path: string; headers: Record<string, string> };
const [file, baseUrl, rateArgument] = process.argv.slice(2);
if (!file || !baseUrl) throw new Error("usage: load.ts <requests.json> <baseUrl>[,<baseUrl>…] [rate]");
const rate = rateArgument === undefined ? undefined : Number(rateArgument);
if (rate !== undefined && !(rate > 0))
  throw new Error(`load.ts: the rate must be a positive number, not ${rateArgument}`);
const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
const senders: Planned[][] =
  typeof parsed === "object" && parsed !== null && Array.isArray(Reflect.get(parsed, "senders"))
    ? Reflect.get(parsed, "senders")
    : [];
const urls = baseUrl.split(",").map((base) => new URL(base));
const agent = new Agent({ keepAlive: true, maxSockets: senders.length });

/** Sends one request; its latency runs from `from` (its scheduled time, or now). */
function send(planned: Planned, url: URL, from = performance.now()): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: planned.path, headers: planned.headers, agent },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - from }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const latencies: number[] = [];
const statuses = new Map<number, number>();
const started = performance.now();
await Promise.all(
  senders.map(async (plan, index) => {
    const url = urls[index % urls.length] ?? urls[0] ?? new URL(baseUrl);
    for (const [k, planned] of plan.entries()) {
      let scheduled: number | undefined;
      if (rate !== undefined) {
        scheduled = started + ((index + k * senders.length) * 1000) / rate;
        const wait = scheduled - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      // From its scheduled time when it goes late; from now when a timer fired a little early (Node's timers count
      // from the event loop's cached clock), so no latency comes out below zero.
      const now = performance.now();
      const { status, ms } = await send(planned, url, Math.min(scheduled ?? now, now));
      latencies.push(ms);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
console.log(
  JSON.stringify({
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    statuses: Object.fromEntries(statuses),
  }),
);
agent.destroy();
