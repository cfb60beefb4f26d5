import {
  demoTokenAbi,
  MalformedHeaderError,
  maxUint64,
  parseAddress,
  parseSignature,
  parseUint,
} from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { PublicClient } from "viem";
import type { Operator, OperatorResult } from "../chain/operator.ts";
import type { ChannelView } from "../receiver/channelBook.ts";
import type { Receiver } from "../receiver/createReceiver.ts";
import { errorBody } from "./errorResponse.ts";
import { isOperator } from "./operatorAuth.ts";

export type ReceiverApiOptions = {
  receiver: Receiver;
  publicClient: PublicClient;
  /** Bearer token for operator endpoints; without one they always answer 401. */
  operatorToken?: string | undefined;
  /** On-chain operator commands; without it the withdraw and close-all endpoints answer 404. */
  operator?: Operator | undefined;
};

/**
 * µRaiden's REST API (mounted at the gateway path, `/api/1`): stats, channel listings and details, the cooperative
 * close signature, and operator commands. Everything about other senders' channels needs the operator's token;
 * a closing signature needs the sender's own signature for that balance.
 */
export function receiverApi(options: ReceiverApiOptions): Hono {
  const { receiver, publicClient } = options;
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

  function describe(channel: ChannelView, full: boolean) {
    return {
      sender_address: channel.sender,
      open_block: channel.openBlock.toString(),
      deposit: receiver.deposit(channel).toString(),
      state: receiver.status(channel),
      ...(full
        ? {
            balance: channel.balance.toString(),
            withdrawn: channel.withdrawn.toString(),
            balance_signature: channel.signature ?? null,
          }
        : {}),
    };
  }

  api.get("/stats", async (c) => {
    let depositSum = 0n;
    let balanceSum = 0n;
    let open = 0;
    let pending = 0;
    const senders = new Set<string>();
    for (const channel of receiver.book.channels.values()) {
      const status = receiver.status(channel);
      if (status === "settled") continue;
      if (status === "open") {
        open++;
        senders.add(channel.sender);
        depositSum += receiver.deposit(channel);
      }
      if (status === "closing") pending++;
      balanceSum += channel.balance - channel.withdrawn;
    }
    const liquid = await publicClient.readContract({
      address: receiver.deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [receiver.address],
    });
    return c.json({
      deposit_sum: depositSum.toString(),
      open_channels: open,
      pending_channels: pending,
      balance_sum: balanceSum.toString(),
      unique_senders: senders.size,
      liquid_balance: liquid.toString(),
      token_address: receiver.deployment.token,
      contract_address: receiver.deployment.channelManager,
      receiver_address: receiver.address,
      chain_id: receiver.deployment.chainId,
    });
  });

  api.get("/channels", (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    const open = [...receiver.book.channels.values()].filter((channel) => receiver.status(channel) === "open");
    return c.json(open.map((channel) => describe(channel, true)));
  });

  api.get("/channels/:sender", (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    const sender = parseAddress("sender", c.req.param("sender"));
    const channels = [...receiver.book.channels.values()].filter(
      (channel) => channel.sender === sender && receiver.status(channel) !== "settled",
    );
    return c.json(channels.map((channel) => describe(channel, true)));
  });

  api.get("/channels/:sender/:openBlock", (c) => {
    const channel = receiver.book.get(
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
    if (!options.operator) return c.json(errorBody("not_found", "Operator commands are off."), 404);
    const body: unknown = await c.req.json().catch(() => ({}));
    const raw = typeof body === "object" && body !== null ? Reflect.get(body, "threshold") : undefined;
    const threshold = raw === undefined ? 1n : parseUint("threshold", String(raw));
    const done = await options.operator.withdraw(threshold);
    return c.json(done.map(summary));
  });

  api.post("/close-all", async (c) => {
    if (!requireOperator(c.req.header("authorization"))) return c.json(unauthorized, 401);
    if (!options.operator) return c.json(errorBody("not_found", "Operator commands are off."), 404);
    return c.json((await options.operator.closeAll()).map(summary));
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
