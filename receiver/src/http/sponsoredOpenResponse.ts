import { getConnInfo } from "@hono/node-server/conninfo";
import {
  encodeErrorBody,
  encodeSponsoredOpenResponseBody,
  type SponsoredOpenRequest,
} from "@micro-raiden/web-client/protocol";
import type { Context } from "hono";
import type { SponsoredOpener } from "./sponsoredOpener.ts";

/**
 * Answers POST <gateway>/sponsored-open for a decoded request: 200 with the channel, or the refusal with its status
 * (429 with Retry-After). The client is the connection's remote address: a deployment behind a reverse proxy sees the
 * proxy's address there, so all its clients share one allowance (the per-sender limit still holds); forwarded
 * addresses are not trusted because any client can write them.
 */
export async function sponsoredOpenResponse(
  c: Context,
  opener: SponsoredOpener,
  request: SponsoredOpenRequest,
): Promise<Response> {
  const result = await opener.open(request, clientAddress(c));
  if (result.ok) return c.json(encodeSponsoredOpenResponseBody(result));
  if (result.retryAfter !== undefined) c.header("Retry-After", String(result.retryAfter));
  return c.json(encodeErrorBody(result.code, result.message), result.status);
}

/** The remote address of the connection on Node, or "unknown" where there is none (`app.request` in a test). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
