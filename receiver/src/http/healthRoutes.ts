import { Hono } from "hono";

/**
 * A load balancer's checks: `GET /healthz` (the process answers) and `GET /readyz` (it takes requests: send it
 * traffic). Both 200 with a short JSON body while the receiver runs; a receiver that died answers nothing, and the
 * balancer takes it out of rotation.
 *
 * @example
 * app.route("/", healthRoutes());
 */
export function healthRoutes(): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => c.json({ status: "ready" }));
  return app;
}
