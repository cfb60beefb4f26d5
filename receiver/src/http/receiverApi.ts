import {
  apiPaths,
  type ChannelDescription,
  decodeChannelPathParameters,
  decodeCloseAllRequestBody,
  decodeCloseRequestBody,
  decodeSenderPathParameter,
  decodeSponsoredOpenRequest,
  decodeWithdrawRequestBody,
  encodeChannelDescription,
  encodeCloseResponseBody,
  encodeErrorBody,
  encodeOperatorResults,
  encodeReceiverStats,
  MalformedBodyError,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ChannelInfo, Receiver } from "../Receiver.ts";
import { closeOnErrorWithBody } from "./closeOnErrorWithBody.ts";
import {
  dashboardActivityPath,
  dashboardData,
  dashboardMaxDays,
  dashboardPath,
  parseDashboardDays,
} from "./dashboardData.ts";
import { isOperator } from "./operatorAuth.ts";
import { sponsoredOpenResponse } from "./sponsoredOpenResponse.ts";

export type ReceiverApiOptions = {
  receiver: Receiver;
  /** Bearer token for operator endpoints; without one they always answer 401. */
  operatorToken?: string | undefined;
};

/**
 * µRaiden's REST API (mounted at the gateway path, `/api/1`): stats, channel listings and details, the cooperative
 * close signature, and operator commands. Everything about other senders' channels needs the operator's token;
 * a closing signature needs the sender's own signature for that balance. Every body and path parameter goes
 * through the protocol's codecs: what does not decode is a 400 `malformed_body` before anything runs.
 *
 * @example
 * import { Hono } from "hono";
 * import { receiverApi } from "@micro-raiden/receiver";
 * const app = new Hono();
 * app.route(receiver.gatewayPath, receiverApi({ receiver, operatorToken: process.env.OPERATOR_TOKEN }));
 */
export function receiverApi(options: ReceiverApiOptions): Hono {
  const { receiver } = options;
  const api = new Hono();
  api.use(closeOnErrorWithBody());

  api.onError((error, c) => {
    if (error instanceof MalformedBodyError) return c.json(encodeErrorBody(error.code, error.shortMessage), 400);
    throw error;
  });

  const smallBody = bodyLimit({
    maxSize: 1024,
    onError: (c) => c.json(encodeErrorBody("malformed_body", "The request body is larger than 1 KiB."), 413),
  });
  const requireOperator = (authorization: string | undefined) => isOperator(authorization, options.operatorToken);
  const unauthorized = encodeErrorBody("unauthorized", "This endpoint needs the operator's token.");
  const operatorOff = encodeErrorBody("not_found", "Operator commands are off.");

  api.get(apiPaths.stats, async (c) => {
    return c.json(encodeReceiverStats(await receiver.getStats()));
  });

  api.get(apiPaths.channels, (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    return c.json(receiver.listChannels({ states: ["open"] }).map((channel) => describe(channel, true)));
  });

  api.get(`${apiPaths.channels}/:sender`, (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    const sender = decodeSenderPathParameter(c.req.param("sender"));
    const channels = receiver.listChannels({ sender, states: ["pending", "open", "closing"] });
    return c.json(channels.map((channel) => describe(channel, true)));
  });

  api.get(`${apiPaths.channels}/:sender/:openBlock`, (c) => {
    const { sender, openBlock } = decodeChannelPathParameters(c.req.param());
    const channel = receiver.getChannel(sender, openBlock);
    if (!channel) return c.json(encodeErrorBody("not_found", "No such channel."), 404);
    // What the chain shows is public; what the sender paid is the operator's business.
    return c.json(describe(channel, requireOperator(c.req.header("authorization"))));
  });

  api.delete(`${apiPaths.channels}/:sender/:openBlock`, smallBody, async (c) => {
    const { sender, openBlock } = decodeChannelPathParameters(c.req.param());
    const body = decodeCloseRequestBody(await readJson(c.req.raw));
    const result = await receiver.closingSignature({
      sender,
      openBlock,
      balance: body.balance,
      signature: body.balanceSignature,
      deadline: body.deadline,
      requestSignature: body.closeRequestSignature,
    });
    if (!result.ok) {
      const retryAfter: Record<string, string> =
        "retryAfterSeconds" in result ? { "retry-after": String(result.retryAfterSeconds) } : {};
      return c.json(encodeErrorBody(result.code, result.message), result.status, retryAfter);
    }
    return c.json(encodeCloseResponseBody({ closeSignature: result.signature }));
  });

  api.get(dashboardPath, async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    const days = parseDashboardDays(c.req.query("days"));
    if (days === undefined) {
      return c.json(
        encodeErrorBody("malformed_body", `days must be a whole number from 1 to ${dashboardMaxDays}.`),
        400,
      );
    }
    c.header("cache-control", "no-store");
    return c.json(await dashboardData(receiver, { days, now: Date.now() }));
  });

  api.get(dashboardActivityPath, (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    c.header("cache-control", "no-store");
    return c.json(receiver.operatorActivity());
  });

  api.post(apiPaths.withdraw, smallBody, async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    if (!receiver.canOperate) return c.json(operatorOff, 404);
    const json = await readJson(c.req.raw);
    // An empty body is a withdraw with the default threshold, like `{}`.
    const { threshold = 1n } = json === undefined ? {} : decodeWithdrawRequestBody(json);
    return c.json(encodeOperatorResults(await receiver.withdraw(threshold)));
  });

  api.post(apiPaths.closeAll, smallBody, async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    if (!receiver.canOperate) return c.json(operatorOff, 404);
    decodeCloseAllRequestBody(await readJson(c.req.raw));
    return c.json(encodeOperatorResults(await receiver.closeAll()));
  });

  const { sponsor } = receiver;
  if (sponsor) {
    // Two 65-byte signatures and eight fields: about 900 bytes.
    const sponsorBody = bodyLimit({
      maxSize: 2048,
      onError: (c) => c.json(encodeErrorBody("malformed_body", "The request body is larger than 2 KiB."), 413),
    });
    api.post(apiPaths.sponsoredOpen, sponsorBody, async (c) => {
      return sponsoredOpenResponse(c, sponsor, decodeSponsoredOpenRequest(await readJson(c.req.raw)));
    });
  }

  // A sub-app's notFound is never called when mounted with app.route: answer unknown endpoints here instead.
  api.all("*", (c) => c.json(encodeErrorBody("not_found", "No such endpoint."), 404));
  return api;
}

/** A channel as the REST API describes it; `full` adds what the sender paid (the operator's view). */
function describe(channel: ChannelInfo, full: boolean) {
  const description: ChannelDescription = {
    sender: channel.sender,
    openBlock: channel.openBlock,
    deposit: channel.deposit,
    state: channel.state,
    details: full
      ? { balance: channel.balance, withdrawn: channel.withdrawn, balanceSignature: channel.balanceSignature }
      : undefined,
  };
  return encodeChannelDescription(description);
}

/**
 * The parsed JSON of a request body, or undefined for an empty one (the codecs decide whether that is allowed).
 * Text that is not JSON is refused here, so no endpoint mistakes it for an empty body.
 */
async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedBodyError({ field: "(root)", reason: "is not JSON", cause: error });
  }
}
