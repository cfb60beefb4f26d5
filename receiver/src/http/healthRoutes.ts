import { Hono } from "hono";
import type { Receiver } from "../Receiver.ts";

/** Seconds a load balancer is told to wait before asking a receiver that is not ready again. */
const notReadyRetryAfter = "2";

/**
 * A load balancer's two questions (`receiverApp` mounts them at the site root): `GET /healthz`, liveness — 200 while
 * the process serves HTTP, whatever its database does (restarting a receiver does not bring a database back);
 * `GET /readyz`, readiness — 200 when its database answers and its view of the chain is caught up with the one the
 * receivers share, else 503 with Retry-After and the reason. Both answer JSON and are never cached.
 *
 * @example
 * import { Hono } from "hono";
 * import { healthRoutes } from "@micro-raiden/receiver";
 * const app = new Hono();
 * app.route("/", healthRoutes({ receiver }));
 */
export function healthRoutes(options: { receiver: Receiver }): Hono {
  const { receiver } = options;
  const app = new Hono();
  const noStore = { "cache-control": "no-store" };
  app.get("/healthz", (c) => c.json({ status: "ok" }, 200, noStore));
  app.get("/readyz", async (c) => {
    const state = await receiver.readiness();
    const body = {
      status: state.ready ? "ready" : "not_ready",
      ready: state.ready,
      database: state.database,
      head: state.head.toString(),
      ...(state.storedHead === undefined ? {} : { storedHead: state.storedHead.toString() }),
      ...(state.reason === undefined ? {} : { reason: state.reason }),
    };
    if (state.ready) return c.json(body, 200, noStore);
    return c.json(body, 503, { ...noStore, "retry-after": notReadyRetryAfter });
  });
  return app;
}
