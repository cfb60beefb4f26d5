import type { MiddlewareHandler } from "hono";

/** What is read of an unread body before an error answer goes out, at most: more is a client to hang up on. */
const drainLimit = { bytes: 1024 * 1024, ms: 1000 };

/**
 * Middleware: an error answer to a request that carries a body ends the connection (`Connection: close`). Such
 * answers often go out before the body was read (a 413 from a body limit, a 404, a 401 before parsing); a server
 * that then drops the connection under the rest of the body loses a keep-alive client's next request ("socket hang
 * up"), and one that closes with the body unread resets the connection before the client reads the answer. So the
 * rest of the body (up to 1 MiB, for up to a second) is read and dropped first, then the answer tells the client to
 * open a new connection. Requests without a body (every GET, so every paid page) keep their connection.
 *
 * @example
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.use(closeOnErrorWithBody());
 */
export function closeOnErrorWithBody(): MiddlewareHandler {
  return async function closeOnErrorWithBodyMiddleware(c, next) {
    await next();
    if (c.res.status < 400 || !hasBody(c.req.raw.headers)) return;
    await drain(c.req.raw.body);
    c.res.headers.set("connection", "close");
  };
}

function hasBody(headers: Headers): boolean {
  return headers.has("transfer-encoding") || Number(headers.get("content-length") ?? 0) > 0;
}

/** Reads what is left of a body and drops it, within {@link drainLimit}; a body someone else reads is left alone. */
async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), drainLimit.ms);
  });
  try {
    for (let bytes = 0; bytes <= drainLimit.bytes; ) {
      const read = await Promise.race([reader.read(), late]);
      if (!read || read.done) break;
      bytes += read.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to drain.
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
