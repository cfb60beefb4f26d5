// Serves the test receiver on the test page's own origin, as a site serves its paywall: the page's requests to
// the receiver's paths are forwarded to the receiver the global setup started. Cross-origin paid fragments are the
// script tag's business (and the receiver's CORS); the React paywall's tests run same-origin.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";

/** The receiver's paths: its REST API and the demo site's paid and free pages. */
const receiverPaths = /^\/(api\/1|articles|echodyn|free)(\/|$|\?)/;

/** Where the global setup put the receiver (same process as the Vite server, another module graph). */
const receiverUrlKey = Symbol.for("micro-raiden.widget.testReceiverUrl");

export function setTestReceiverUrl(url: string | undefined): void {
  Reflect.set(globalThis, receiverUrlKey, url);
}

function testReceiverUrl(): string | undefined {
  const url: unknown = Reflect.get(globalThis, receiverUrlKey);
  return typeof url === "string" ? url : undefined;
}

export function receiverProxy(): Plugin {
  return {
    name: "micro-raiden-test-receiver-proxy",
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const target = testReceiverUrl();
        if (!target || !request.url || !receiverPaths.test(request.url)) return next();
        forward(request, response, new URL(request.url, target)).catch(next);
      });
    },
  };
}

async function forward(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === "host" || name === "connection") continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && chunks.length > 0;
  const answer = await fetch(url, {
    method: request.method ?? "GET",
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    redirect: "manual",
  });
  response.statusCode = answer.status;
  answer.headers.forEach((value, name) => {
    // fetch already decoded the body: its length and encoding headers no longer describe what we send.
    if (name === "content-encoding" || name === "content-length" || name === "transfer-encoding") return;
    response.setHeader(name, value);
  });
  response.end(Buffer.from(await answer.arrayBuffer()));
}
