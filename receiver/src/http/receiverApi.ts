import {
  MalformedHeaderError,
  maxUint64,
  parseAddress,
  parseSignature,
  parseUint,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { OperatorResult } from "../chain/operator.ts";
import type { ChannelInfo, Receiver } from "../Receiver.ts";
import { errorBody } from "./errorResponse.ts";
import { isOperator } from "./operatorAuth.ts";

export type ReceiverApiOptions = {
  receiver: Receiver;
  /** Bearer token for operator endpoints; without one they always answer 401. */
  operatorToken?: string | undefined;
};

/**
 * µRaiden's REST API (mounted at the gateway path, `/api/1`): stats, channel listings and details, the cooperative
 * close signature, and operator commands. Everything about other senders' channels needs the operator's token;
 * a closing signature needs the sender's own signature for that balance.
 */
export function receiverApi(options: ReceiverApiOptions): Hono {
  const { receiver } = options;
  const api = new Hono();

  api.onError((error, c) => {
    if (error instanceof MalformedHeaderError) return c.json(errorBody("malformed_body", error.shortMessage), 400);
    throw error;
  });

  const smallBody = bodyLimit({
    maxSize: 1024,
    onError: (c) => c.json(errorBody("malformed_body", "The request body is larger than 1 KiB."), 413),
  });
  const requireOperator = (authorization: string | undefined) => isOperator(authorization, options.operatorToken);
  const unauthorized = errorBody("unauthorized", "This endpoint needs the operator's token.");

  function describe(channel: ChannelInfo, full: boolean) {
    return {
      sender_address: channel.sender,
      open_block: channel.openBlock.toString(),
      deposit: channel.deposit.toString(),
      state: channel.state,
      ...(full
        ? {
            balance: channel.balance.toString(),
            withdrawn: channel.withdrawn.toString(),
            balance_signature: channel.balanceSignature ?? null,
          }
        : {}),
    };
  }

  api.get("/stats", async (c) => {
    const stats = await receiver.getStats();
    return c.json({
      deposit_sum: stats.depositSum.toString(),
      open_channels: stats.openChannels,
      pending_channels: stats.closingChannels,
      balance_sum: stats.balanceSum.toString(),
      unique_senders: stats.uniqueSenders,
      liquid_balance: stats.liquidBalance.toString(),
      token_address: receiver.deployment.token,
      contract_address: receiver.deployment.channelManager,
      receiver_address: receiver.address,
      chain_id: receiver.deployment.chainId,
    });
  });

  api.get("/channels", (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    return c.json(receiver.listChannels({ states: ["open"] }).map((channel) => describe(channel, true)));
  });

  api.get("/channels/:sender", (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    const sender = parseAddress("sender", c.req.param("sender"));
    const channels = receiver.listChannels({ sender, states: ["pending", "open", "closing"] });
    return c.json(channels.map((channel) => describe(channel, true)));
  });

  api.get("/channels/:sender/:openBlock", (c) => {
    const channel = receiver.getChannel(
      parseAddress("sender", c.req.param("sender")),
      parseUint("openBlock", c.req.param("openBlock"), maxUint64),
    );
    if (!channel) return c.json(errorBody("not_found", "No such channel."), 404);
    // What the chain shows is public; what the sender paid is the operator's business.
    return c.json(describe(channel, requireOperator(c.req.header("authorization"))));
  });

  api.delete("/channels/:sender/:openBlock", smallBody, async (c) => {
    const sender = parseAddress("sender", c.req.param("sender"));
    const openBlock = parseUint("openBlock", c.req.param("openBlock"), maxUint64);
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== "object" || body === null) {
      return c.json(errorBody("malformed_body", "Expected { balance, balance_signature }."), 400);
    }
    const field = (name: string): string | undefined => {
      const value: unknown = Reflect.get(body, name);
      return typeof value === "string" ? value : undefined;
    };
    const balance = field("balance");
    const signature = field("balance_signature");
    const deadline = field("deadline");
    const requestSignature = field("close_request_signature");
    if (!balance || !signature || !deadline || !requestSignature) {
      return c.json(
        errorBody(
          "malformed_body",
          "Expected { balance, balance_signature, deadline, close_request_signature } as decimal and hex strings.",
        ),
        400,
      );
    }
    const result = await receiver.closingSignature({
      sender,
      openBlock,
      balance: parseUint("balance", balance),
      signature: parseSignature("balance_signature", signature),
      deadline: parseUint("deadline", deadline, maxUint64),
      requestSignature: parseSignature("close_request_signature", requestSignature),
    });
    if (!result.ok) return c.json(errorBody(result.code, result.message), result.status);
    return c.json({ close_signature: result.signature });
  });

  api.post("/withdraw", smallBody, async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    if (!receiver.canOperate) return c.json(errorBody("not_found", "Operator commands are off."), 404);
    const body = await jsonBody(c.req.raw);
    if (!body.ok) return c.json(errorBody("malformed_body", body.message), 400);
    const raw = body.value === undefined ? undefined : Reflect.get(body.value, "threshold");
    if (raw !== undefined && typeof raw !== "string") {
      return c.json(errorBody("malformed_body", "threshold must be a decimal string of token base units."), 400);
    }
    const threshold = raw === undefined ? 1n : parseUint("threshold", raw);
    return c.json((await receiver.withdraw(threshold)).map(summary));
  });

  api.post("/close-all", smallBody, async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    if (!receiver.canOperate) return c.json(errorBody("not_found", "Operator commands are off."), 404);
    const body = await jsonBody(c.req.raw);
    if (!body.ok) return c.json(errorBody("malformed_body", body.message), 400);
    return c.json((await receiver.closeAll()).map(summary));
  });

  // A sub-app's notFound is never called when mounted with app.route: answer unknown endpoints here instead.
  api.all("*", (c) => c.json(errorBody("not_found", "No such endpoint."), 404));
  return api;
}

function summary(result: OperatorResult) {
  return {
    sender_address: result.sender,
    open_block: result.openBlock.toString(),
    balance: result.balance.toString(),
    transaction_hash: result.transactionHash ?? null,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** An operator body: empty, or a JSON object. Anything else is refused before anything happens. */
async function jsonBody(
  request: Request,
): Promise<{ ok: true; value: object | undefined } | { ok: false; message: string }> {
  const text = await request.text();
  if (text.trim() === "") return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: "The body is not JSON." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: "The body must be a JSON object." };
  }
  return { ok: true, value };
}
