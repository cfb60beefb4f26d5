import {
  decodeErrorBody,
  decodeOperatorResults,
  decodeSponsoredOpenRequest,
  decodeSponsoredOpenResponseBody,
  decodeWithdrawRequestBody,
  encodeErrorBody,
  encodeOperatorResults,
  encodeSponsoredOpenRequest,
  encodeSponsoredOpenResponseBody,
  encodeWithdrawRequestBody,
  type RequestErrorCode,
  requestErrorCodes,
} from "@micro-raiden/web-client/protocol";
import { type Hash, isHash } from "viem";
import type { ClaimResult } from "../chain/claimCredit.ts";
import type { Operator } from "../chain/operator.ts";
import type { SponsoredOpener, SponsoredOpenResult } from "../http/sponsoredOpener.ts";
import { type LeaderRequestKind, type LeaderRequests, NoLeaderError } from "./leaderRequests.ts";

/** What only the leader can do, each running here when this receiver leads and on the leader otherwise. */
export type LeaderParts = {
  operator: Operator;
  sponsor: SponsoredOpener | undefined;
  claim: () => Promise<ClaimResult>;
};

/**
 * The receiver's operator commands, credit claims and sponsored opens, run locally while `isLeader()` and forwarded
 * to the leader through the database (`leaderRequests`) otherwise; `handle` is what the leader serves them with.
 * Arguments and answers cross the database in the protocol's JSON (amounts as decimal strings) and are decoded on the
 * other side like any wire input. A sponsored open no leader takes in time answers 503 `sponsor_unavailable`.
 */
export function forwardToLeader(local: LeaderParts, ask: LeaderRequests["ask"], isLeader: () => boolean) {
  const sponsor = local.sponsor;
  const parts: LeaderParts = {
    operator: {
      async withdraw(threshold) {
        if (isLeader()) return local.operator.withdraw(threshold);
        const answer = await ask("withdraw", encodeWithdrawRequestBody({ threshold }));
        return decodeOperatorResults(answer);
      },
      async closeAll() {
        if (isLeader()) return local.operator.closeAll();
        return decodeOperatorResults(await ask("close-all", {}));
      },
    },
    sponsor: sponsor && {
      offer: sponsor.offer,
      // What this process sent while it led: a follower's own count stays 0.
      opened: sponsor.opened,
      async open(request, client) {
        if (isLeader()) return sponsor.open(request, client);
        try {
          const answer = await ask("sponsored-open", {
            request: encodeSponsoredOpenRequest(request),
            client,
          });
          return decodeSponsoredOpenAnswer(answer);
        } catch (error) {
          if (!(error instanceof NoLeaderError)) throw error;
          return { ok: false, status: 503, code: "sponsor_unavailable", message: error.message, retryAfter: 2 };
        }
      },
    },
    async claim() {
      if (isLeader()) return local.claim();
      return decodeClaim(await ask("claim", {}));
    },
  };

  /** Serves a follower's request on the leader. */
  async function handle(kind: LeaderRequestKind, body: unknown): Promise<unknown> {
    switch (kind) {
      case "withdraw":
        return encodeOperatorResults(await local.operator.withdraw(decodeWithdrawRequestBody(body).threshold ?? 1n));
      case "close-all":
        return encodeOperatorResults(await local.operator.closeAll());
      case "claim": {
        const { amount, transactionHash } = await local.claim();
        return { amount: amount.toString(), transaction_hash: transactionHash };
      }
      case "sponsored-open": {
        if (!sponsor) throw new Error("The leader does not sponsor opens.");
        const request = decodeSponsoredOpenRequest(field(body, "request"));
        const client = field(body, "client");
        const result = await sponsor.open(request, typeof client === "string" ? client : "unknown");
        return result.ok
          ? { ok: true, body: encodeSponsoredOpenResponseBody(result) }
          : {
              ok: false,
              status: result.status,
              retry_after: result.retryAfter ?? null,
              error: encodeErrorBody(result.code, result.message).error,
            };
      }
    }
  }

  return { ...parts, handle };
}

function field(json: unknown, name: string): unknown {
  return typeof json === "object" && json !== null ? Reflect.get(json, name) : undefined;
}

const refusalStatuses = [400, 403, 409, 422, 429, 503] as const;

function decodeSponsoredOpenAnswer(answer: unknown): SponsoredOpenResult {
  if (field(answer, "ok") === true) return { ok: true, ...decodeSponsoredOpenResponseBody(field(answer, "body")) };
  const status = refusalStatuses.find((s) => s === field(answer, "status"));
  const { code, message } = decodeErrorBody({ error: field(answer, "error") }).error;
  const retryAfter = field(answer, "retry_after");
  if (status === undefined || !isRequestErrorCode(code)) throw new Error("Corrupt leader answer.");
  return {
    ok: false,
    status,
    code,
    message,
    retryAfter: typeof retryAfter === "number" ? retryAfter : undefined,
  };
}

function isRequestErrorCode(code: string): code is RequestErrorCode {
  return Object.hasOwn(requestErrorCodes, code);
}

function decodeClaim(answer: unknown): ClaimResult {
  const amount = field(answer, "amount");
  const transactionHash = field(answer, "transaction_hash");
  if (typeof amount !== "string" || !/^(0|[1-9][0-9]*)$/.test(amount) || typeof transactionHash !== "string") {
    throw new Error("Corrupt leader answer.");
  }
  if (!isHash(transactionHash)) throw new Error("Corrupt leader answer.");
  return { amount: BigInt(amount), transactionHash: transactionHash satisfies Hash };
}
