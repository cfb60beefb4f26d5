// Error answers that go out before the request's body was read, on a real keep-alive connection (node:http's Agent
// with keepAlive and one socket): the next request must not be lost with a connection the server drops.
import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { type ServerType, serve } from "@hono/node-server";
import { apiPaths, apiPrefix, channelPath } from "@micro-raiden/web-client/protocol";
import { createTestReceiver } from "./testReceiver.test-helper.ts";

/** Larger than any body the receiver reads: the answer goes out with most of it still unread. */
const tooLarge = Buffer.alloc(1_000_000, "x");

describe("an error answered before the request body was read, on a keep-alive connection", () => {
  const t = createTestReceiver();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let server: ServerType;
  let port = 0;

  before(async () => {
    server = await new Promise((resolve) => {
      const started = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One request through the keep-alive agent; resolves with the status and the Connection header. */
  function send(method: string, path: string, body?: Buffer) {
    return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      // Content-Length said explicitly: node:http sends a DELETE's body without it otherwise.
      const headers = body ? { "content-length": body.length } : {};
      const outgoing = request({ host: "127.0.0.1", port, method, path, agent, headers }, (response) => {
        response.resume();
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
        );
      });
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  const channel = channelPath({ sender: t.account.address, openBlock: 1n });
  for (const [name, method, path, status] of [
    ["a body over the REST API's limit", "POST", `${apiPrefix}${apiPaths.withdraw}`, 413],
    ["a close request over the limit", "DELETE", `${apiPrefix}${channel}`, 413],
    ["a body sent to no endpoint", "POST", "/nowhere", 404],
  ] as const) {
    it(`${name} (${status}) closes the connection, and the next request is answered`, async () => {
      for (let round = 0; round < 3; round++) {
        const refused = await send(method, path, tooLarge);
        assert.equal(refused.status, status);
        const next = await send("GET", "/free");
        assert.equal(next.status, 200);
        assert.equal(refused.connection, "close");
      }
    });
  }

  it("keeps the connection of a request without a body", async () => {
    const notFound = await send("GET", "/nowhere");
    assert.equal(notFound.status, 404);
    assert.equal(notFound.connection, "keep-alive");
  });
});
