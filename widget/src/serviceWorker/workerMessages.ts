// The messages between pages and the payment Service Worker. Both sides are built from this file, but a page and a
// worker of different releases can meet (a worker installed yesterday, a script cached today), so every message
// names the protocol it speaks and the worker validates what it receives with the protocol's own parsers.
import type { SpendingPolicy } from "@micro-raiden/web-client";
import {
  decodePaymentHeaders,
  encodePaymentHeaders,
  type Payment,
  parseAddress,
  parseChainId,
  parseUint,
} from "@micro-raiden/web-client/protocol";
import type { Address } from "viem";

/** Raised whenever a message changes shape; a page finding another number asks the browser for the new worker. */
export const paymentWorkerProtocol = 1;

/** The message `type` prefix, so the worker ignores other libraries' messages. */
const prefix = "micro-raiden:";

/**
 * The reader's standing permission for the worker to pay one receiver from one sender's session-key channels,
 * within the client's spending policy. Kept by the worker (IndexedDB) until revoked or replaced.
 */
export type PaymentGrant = {
  chainId: number;
  contract: Address;
  receiver: Address;
  sender: Address;
  policy: SpendingPolicy;
};

/** A balance proof the wallet signed for one navigation (wallet mode): the worker presents it for `url` once. */
export type NavigationVoucher = {
  url: string;
  chainId: number;
  payment: Payment;
};

export type WorkerRequest =
  | { type: "hello" }
  | { type: "grant"; grant: PaymentGrant }
  | { type: "voucher"; voucher: NavigationVoucher }
  | { type: "revoke" };

export type WorkerAnswer = { protocol: number; ok: boolean; error?: string | undefined };

/** A request as it travels (structured clone): amounts as decimal strings, a payment as its headers. */
export function encodeWorkerRequest(request: WorkerRequest): Record<string, unknown> {
  const base = { type: `${prefix}${request.type}`, protocol: paymentWorkerProtocol };
  switch (request.type) {
    case "grant": {
      const { policy, ...grant } = request.grant;
      return {
        ...base,
        grant: {
          ...grant,
          maxPrice: policy.maxPrice?.toString(),
          budgetPerReceiver: policy.budgetPerReceiver?.toString(),
          maxPaymentsPerMinute: policy.maxPaymentsPerMinute,
        },
      };
    }
    case "voucher": {
      const { url, chainId, payment } = request.voucher;
      return { ...base, voucher: { url, chainId, headers: encodePaymentHeaders(payment) } };
    }
    default:
      return base;
  }
}

/**
 * Reads a message a page sent. Undefined for anything that is not ours; throws (the protocol's Malformed* errors,
 * or a plain Error) for ours with a wrong protocol or shape, which the worker answers as not ok.
 */
export function decodeWorkerRequest(data: unknown): WorkerRequest | undefined {
  if (!isRecord(data) || typeof data.type !== "string" || !data.type.startsWith(prefix)) return undefined;
  if (data.protocol !== paymentWorkerProtocol) {
    throw new Error(`This payment worker speaks protocol ${paymentWorkerProtocol}, the page ${String(data.protocol)}.`);
  }
  const type = data.type.slice(prefix.length);
  switch (type) {
    case "hello":
    case "revoke":
      return { type };
    case "grant": {
      const grant = record(data.grant, "grant");
      const amount = (name: string) => {
        const value = grant[name];
        return value === undefined ? undefined : parseUint(name, text(value, name));
      };
      return {
        type,
        grant: {
          chainId: parseChainId("chainId", String(grant.chainId)),
          contract: parseAddress("contract", text(grant.contract, "contract")),
          receiver: parseAddress("receiver", text(grant.receiver, "receiver")),
          sender: parseAddress("sender", text(grant.sender, "sender")),
          policy: {
            maxPrice: amount("maxPrice"),
            budgetPerReceiver: amount("budgetPerReceiver"),
            // What a channel opened before channels carried their own limit pays under (web-client's channelAutoPay).
            maxPaymentsPerMinute: perMinute(grant.maxPaymentsPerMinute),
          },
        },
      };
    }
    case "voucher": {
      const voucher = record(data.voucher, "voucher");
      const headers = record(voucher.headers, "voucher.headers");
      const payment = decodePaymentHeaders(
        new Headers(Object.entries(headers).map(([name, value]) => [name, text(value, name)])),
      );
      if (!payment) throw new Error("A voucher without a payment.");
      return {
        type,
        voucher: {
          url: new URL(text(voucher.url, "url")).href,
          chainId: parseChainId("chainId", String(voucher.chainId)),
          payment,
        },
      };
    }
    default:
      throw new Error(`Unknown payment worker message ${data.type}.`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${name} is missing.`);
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string") throw new Error(`${name} is not a string.`);
  return value;
}

/** A payments-a-minute count: absent, or a positive whole number. */
function perMinute(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new Error("maxPaymentsPerMinute is not a positive whole number.");
  }
  return value;
}
