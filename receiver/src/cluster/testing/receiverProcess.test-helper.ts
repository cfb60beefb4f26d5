// Receivers as their own processes (the CLI, `micro-raiden-server start --database-url`), to kill -9 them and to put
// them behind a real load balancer; a free port; a plain upstream for their paid /proxy/ route.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  balanceProofTypedData,
  type Deployment,
  decodePaymentResponseHeaders,
  encodePaymentHeaders,
} from "@micro-raiden/web-client/protocol";
import type { Address, Hex, LocalAccount } from "viem";

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** An upstream answering every request with its path: what the receivers' /proxy/ route sells. */
export async function startUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer((request, response) => {
    response.setHeader("content-type", "text/plain");
    response.end(`content of ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ReceiverProcess = {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Whether its last word on the election was that it leads. */
  leads(): boolean;
  /** Resolves when the process has exited. */
  readonly exited: Promise<unknown>;
};

export type ReceiverProcessOptions = {
  /** Where the key and deployment files go. */
  dir: string;
  rpcUrl: string;
  deployment: Deployment;
  privateKey: Hex;
  databaseUrl: string;
  /** Listen here (a restarted receiver keeps its place behind the load balancer). */
  port: number;
  upstream: { url: string; price: bigint };
  pollIntervalMs?: number | undefined;
};

/** Starts `micro-raiden-server start` on the shared database and resolves once it listens. */
export async function spawnReceiver(options: ReceiverProcessOptions): Promise<ReceiverProcess> {
  const keyFile = join(options.dir, "receiver.key");
  const deploymentFile = join(options.dir, "deployment.json");
  await writeFile(keyFile, options.privateKey, { mode: 0o600 });
  await writeFile(deploymentFile, JSON.stringify(options.deployment));
  // The password stays out of the command line (other users see it in ps): PGPASSWORD, as the README says.
  const url = new URL(options.databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL("../../bin.ts", import.meta.url)),
      "start",
      ...["--rpc-url", options.rpcUrl, "--private-key-file", keyFile, "--deployment", deploymentFile],
      ...["--database-url", url.href, "--port", String(options.port)],
      ...["--upstream", options.upstream.url, "--price", options.upstream.price.toString()],
      ...["--poll-interval", String(options.pollIntervalMs ?? 100)],
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PGPASSWORD: password } },
  );
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const listening = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout?.on("data", look);
    void exited.then((code) => reject(new Error(`receiver exited (${String(code)}): ${output}`)));
  });
  return {
    url: listening,
    port: options.port,
    child,
    output: () => output,
    leads() {
      const elected = output.lastIndexOf("now the leader");
      return elected >= 0 && elected > output.lastIndexOf("no longer the leader");
    },
    exited,
  };
}

/**
 * A sender paying one channel request after request, each for `price` more than its last acknowledged payment: a
 * request that got no answer (its receiver died) is sent again with the same proof, to the next receiver, until one
 * answers. Counts what it was told was paid.
 */
export function createPayer(parameters: {
  account: LocalAccount;
  openBlock: bigint;
  deployment: Deployment;
  receiver: Address;
  price: bigint;
}) {
  const { account, openBlock, deployment, price } = parameters;
  const domain = { chainId: deployment.chainId, contract: deployment.channelManager };
  let acknowledged = 0n;
  let requests = 0;
  let answersLost = 0;
  return {
    /** Payments charged whose answer never arrived (taken from a 402 echoing the proof sent). */
    answersLost: () => answersLost,
    /** The balance of its last payment answered 200. */
    acknowledged: () => acknowledged,
    /**
     * Pays the next request at one of `urls` (tried in turn from `start` when one does not answer); resolves with the
     * status and the receiver that answered. `path` must be different for every request (what it bought).
     */
    async pay(
      urls: readonly string[],
      start = 0,
    ): Promise<{ status: number; url: string; servedBy: string | null; failure: string | undefined }> {
      const balance = acknowledged + price;
      const signature = await account.signTypedData(
        balanceProofTypedData(domain, { sender: account.address, receiver: parameters.receiver, openBlock, balance }),
      );
      const headers = encodePaymentHeaders({
        contract: deployment.channelManager,
        receiver: parameters.receiver,
        sender: account.address,
        openBlock,
        balance,
        signature,
      });
      requests += 1;
      const path = `/proxy/${account.address}/${requests}`;
      const giveUp = Date.now() + 60_000;
      for (let attempt = 0; ; attempt++) {
        const url = urls[(start + attempt) % urls.length] ?? "";
        try {
          const response = await fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(120_000) });
          await response.arrayBuffer();
          if (response.status === 200) acknowledged = balance;
          const answer = response.status === 402 ? decodePaymentResponseHeaders(response.headers) : undefined;
          if (answer?.echo?.balance === balance && answer.echo.signature === signature) {
            // The receiver holds this very proof: an earlier try was charged and its answer lost in a crash, and
            // the free repeat was not possible (already delivered as far as the receiver knows). As a client does,
            // take the receiver's word for the balance and pay on from it.
            acknowledged = balance;
            answersLost += 1;
          }
          const failure = answer?.failure
            ? `${answer.failure.code} (sent ${balance}, the receiver holds ${answer.echo?.balance ?? "?"}) at ${url}`
            : undefined;
          return { status: response.status, url, servedBy: response.headers.get("x-served-by"), failure };
        } catch (error) {
          // No answer: the same request again elsewhere (the receiver's retry rule serves it free if it was charged).
          if (Date.now() > giveUp) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
  };
}
