// The options of micro-raiden-server (runCli.ts): one list for the command line and the config file, so every flag
// can be set in either.

/** Every option, as `parseArgs` takes them. */
export const cliOptionSpecs = {
  config: { type: "string" },
  "rpc-url": { type: "string" },
  "private-key-file": { type: "string" },
  deployment: { type: "string" },
  db: { type: "string" },
  "database-url": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  confirmations: { type: "string" },
  "operator-token-file": { type: "string" },
  "poll-interval": { type: "string" },
  upstream: { type: "string" },
  "cors-origin": { type: "string", multiple: true },
  "paywall-script-file": { type: "string" },
  "service-worker-file": { type: "string" },
  "paid-max-age": { type: "string" },
  "request-timeout": { type: "string" },
  "verifier-threads": { type: "string" },
  "auto-pay-max-price": { type: "string" },
  "public-rpc-url": { type: "string" },
  "chain-name": { type: "string" },
  "sponsor-min-deposit": { type: "string" },
  "sponsor-per-sender": { type: "string" },
  "sponsor-per-client": { type: "string" },
  "x402-facilitator": { type: "string" },
  "no-exact": { type: "boolean" },
  price: { type: "string" },
  token: { type: "string" },
  "challenge-period": { type: "string" },
  dir: { type: "string" },
  url: { type: "string" },
  threshold: { type: "string" },
  bind: { type: "string" },
  server: { type: "string", multiple: true },
  help: { type: "boolean" },
} as const;

/** What an option is when neither the command line nor the config file gives it. */
export const cliDefaults = {
  port: "3000",
  host: "127.0.0.1",
  confirmations: "1",
  "poll-interval": "1000",
  "paid-max-age": "300",
  "request-timeout": "30000",
  url: "http://127.0.0.1:3000",
  threshold: "1",
};

/** The config file `init` writes and other commands read from the current folder when no --config is given. */
export const defaultConfigFile = "micro-raiden.json";

/** The commands that read a config file. */
export const configCommands = new Set(["start", "deploy", "withdraw", "close-all"]);
