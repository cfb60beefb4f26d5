import { type ServerType, serve } from "@hono/node-server";
import type { Hono } from "hono";
import { type ReceiverAppOptions, receiverApp } from "./http/receiverApp.ts";
import type { Receiver } from "./Receiver.ts";
import { type StartReceiverOptions, startReceiver } from "./startReceiver.ts";

export type StartServerOptions = StartReceiverOptions &
  Omit<ReceiverAppOptions, "receiver"> & {
    port?: number | undefined;
    host?: string | undefined;
  };

export type RunningServer = {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  receiver: Receiver;
  app: Hono;
  close(): Promise<void>;
};

/**
 * Starts a receiver (`startReceiver`) and serves its app (`receiverApp`) over HTTP: what the CLI runs.
 *
 * @example
 * import { startServer } from "@micro-raiden/receiver";
 * const server = await startServer({ rpcUrl, deployment, privateKey, dbPath: "receiver.db", port: 3000 });
 * await server.close();
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const receiver = await startReceiver(options);
  const app = receiverApp({ ...options, receiver });
  const host = options.host ?? "127.0.0.1";
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname: host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 3000);
  return {
    url: `http://${host}:${port}`,
    receiver,
    app,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await receiver.close();
    },
  };
}
