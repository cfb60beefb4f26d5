#!/usr/bin/env node
// micro-raiden-server: run the receiver, or send operator commands to a running one.
//
//   start     --rpc-url URL --private-key-file FILE --deployment FILE --db FILE [--port 3000] [--host 127.0.0.1]
//             [--confirmations 1] [--operator-token-file FILE] [--poll-interval MS] [--upstream URL]
//   withdraw  --url http://127.0.0.1:3000 --operator-token-file FILE [--threshold BASE_UNITS]
//   close-all --url http://127.0.0.1:3000 --operator-token-file FILE
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { parseDeployment } from "@micro-raiden/web-client/protocol";
import { startServer } from "./startServer.ts";

const usage = `usage:
  micro-raiden-server start --rpc-url URL --private-key-file FILE --deployment FILE --db FILE
                            [--port 3000] [--host 127.0.0.1] [--confirmations 1]
                            [--operator-token-file FILE] [--poll-interval MS] [--upstream URL]
  micro-raiden-server withdraw --url URL --operator-token-file FILE [--threshold BASE_UNITS]
  micro-raiden-server close-all --url URL --operator-token-file FILE`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    "rpc-url": { type: "string" },
    "private-key-file": { type: "string" },
    deployment: { type: "string" },
    db: { type: "string" },
    port: { type: "string", default: "3000" },
    host: { type: "string", default: "127.0.0.1" },
    confirmations: { type: "string", default: "1" },
    "operator-token-file": { type: "string" },
    "poll-interval": { type: "string", default: "1000" },
    upstream: { type: "string" },
    url: { type: "string", default: "http://127.0.0.1:3000" },
    threshold: { type: "string", default: "1" },
    help: { type: "boolean" },
  },
});

function need(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") fail(`--${name} is required`);
  return value;
}
function integer(name: keyof typeof values, min: number): number {
  const value = Number(need(name));
  if (!Number.isSafeInteger(value) || value < min) fail(`--${name} must be an integer of at least ${min}`);
  return value;
}
function fail(message: string): never {
  console.error(`micro-raiden-server: ${message}\n${usage}`);
  process.exit(2);
}
async function operatorToken(): Promise<string | undefined> {
  const path = values["operator-token-file"];
  if (!path) return undefined;
  const token = (await readFile(path, "utf8")).trim();
  if (token.length < 16) fail("the operator token must be at least 16 characters");
  return token;
}

async function main() {
  const [command] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  if (command === "start") {
    const deployment = parseDeployment(JSON.parse(await readFile(need("deployment"), "utf8")));
    const server = await startServer({
      rpcUrl: need("rpc-url"),
      deployment,
      privateKey: await readPrivateKeyFile(need("private-key-file")),
      dbPath: need("db"),
      port: integer("port", 0),
      host: need("host"),
      confirmations: integer("confirmations", 1),
      operatorToken: await operatorToken(),
      pollIntervalMs: integer("poll-interval", 10),
      upstreamUrl: values.upstream,
    });
    console.log(`receiver ${server.receiver.address} listening on ${server.url} (chain ${deployment.chainId})`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    return;
  }
  if (command === "withdraw" || command === "close-all") {
    const token = await operatorToken();
    if (!token) fail("--operator-token-file is required");
    const response = await fetch(`${need("url").replace(/\/$/, "")}/api/1/${command}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: command === "withdraw" ? JSON.stringify({ threshold: need("threshold") }) : "{}",
    });
    console.log(JSON.stringify(await response.json(), null, 2));
    if (!response.ok) process.exit(1);
    return;
  }
  fail(`unknown command ${command}`);
}

main().catch((error: unknown) => {
  console.error(`micro-raiden-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
