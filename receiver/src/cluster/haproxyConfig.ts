/** Where HAProxy listens and the receivers it spreads requests over. */
export type HaproxyConfigOptions = {
  /** `host:port` HAProxy listens on, e.g. `:80` or `127.0.0.1:8080`. */
  bind: string;
  /** Each receiver's `host:port` (they share one database: `--database-url`). */
  servers: readonly string[];
  /** Adds `X-Served-By: receiverN` to every answer (to see the spread; tests). */
  servedByHeader?: boolean | undefined;
};

/**
 * An HAProxy configuration for receivers sharing one database: round robin over them, each checked on `GET /readyz`
 * every second (out of rotation after 2 failures, back after 1 success), and a request that could not reach its
 * receiver (connection refused: it just died) sent to another at once. Only connection failures are retried by
 * HAProxy: a paid request that reached a receiver which died before answering is retried by the client, with the
 * same proof, which the receivers serve again without a second charge.
 *
 * @example
 * import { haproxyConfig } from "@micro-raiden/receiver";
 * await writeFile("haproxy.cfg", haproxyConfig({ bind: ":80", servers: ["10.0.0.1:3000", "10.0.0.2:3000"] }));
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  if (options.servers.length === 0) throw new Error("Give HAProxy at least one receiver.");
  const lines = [
    "global",
    "  maxconn 4096",
    "",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    // Longer than a paid request may take at the receiver (its --request-timeout, 30 s by default).
    "  timeout server 35s",
    "  retries 3",
    "  option redispatch 1",
    "  retry-on conn-failure",
    "",
    "frontend receivers",
    `  bind ${options.bind}`,
    "  default_backend receivers",
    "",
    "backend receivers",
    "  balance roundrobin",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  default-server check inter 1s fall 2 rise 1",
    ...options.servers.map((server, index) => `  server receiver${index + 1} ${server}`),
    ...(options.servedByHeader ? ["  http-response set-header X-Served-By %[srv_name]"] : []),
  ];
  return `${lines.join("\n")}\n`;
}
