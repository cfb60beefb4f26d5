import { headerNames, navigationPreload } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { decodePaymentHeaders, encodePaymentHeaders, type Payment, paymentHeaderNames } from "./paymentHeaders.ts";
import { parseUint } from "./wire.ts";

/**
 * The payment a payment worker puts in its navigation preload header ahead of the reader's next click: the next
 * proof on its channel for `price`, the price the receiver announced for a route. The browser sends the preload
 * before the worker has even started, so a paid page costs the reader no more round trips than a free one.
 */
export type PreloadPayment = { payment: Payment; price: bigint };

/** Longest preload header a receiver reads: a delegated payment's fields fit in well under half of it. */
export const maxPreloadHeaderLength = 2048;

/**
 * The navigation preload header value carrying `payment`: `rdn-pays-first; price=<decimal>; <payment header>=<value>;
 * ...` (the request headers of a paid request, lowercased, with RDN-Price as `price`). Its values are addresses, hex
 * and decimals: nothing in them needs quoting.
 *
 * @example
 * import { encodePreloadPaymentHeader } from "@micro-raiden/web-client/protocol";
 * await registration.navigationPreload.setHeaderValue(encodePreloadPaymentHeader({ payment, price }));
 */
export function encodePreloadPaymentHeader({ payment, price }: PreloadPayment): string {
  const fields = Object.entries(encodePaymentHeaders(payment)).map(([name, value]) => `${name.toLowerCase()}=${value}`);
  return [navigationPreload.paysFirst, `price=${price}`, ...fields].join("; ");
}

/**
 * Whether a navigation preload header value says the worker pays announced routes first (with or without a
 * payment in it).
 */
export function paysFirstPreload(value: string | null | undefined): boolean {
  return value === navigationPreload.paysFirst || (value?.startsWith(`${navigationPreload.paysFirst};`) ?? false);
}

/**
 * The payment in a navigation preload header value: undefined when it carries none (the browser's default, a plain
 * `rdn-pays-first`, anything else), MalformedHeaderError when it starts like one and is not one. Each field is
 * validated as the payment headers are.
 *
 * @example
 * import { decodePreloadPaymentHeader, navigationPreload } from "@micro-raiden/web-client/protocol";
 * const preloaded = decodePreloadPaymentHeader(request.headers.get(navigationPreload.header));
 */
export function decodePreloadPaymentHeader(value: string | null | undefined): PreloadPayment | undefined {
  if (!value?.startsWith(`${navigationPreload.paysFirst};`)) return undefined;
  const malformed = (reason: string) => new MalformedHeaderError({ header: navigationPreload.header, reason });
  if (value.length > maxPreloadHeaderLength) throw malformed(`longer than ${maxPreloadHeaderLength} characters`);
  const fields = new Map<string, string>();
  for (const field of value.slice(navigationPreload.paysFirst.length + 1).split(";")) {
    const separator = field.indexOf("=");
    const name = field.slice(0, separator).trim().toLowerCase();
    if (separator < 0 || !allowedFields.has(name)) throw malformed(`has an unknown field "${field.trim()}"`);
    if (fields.has(name)) throw malformed(`repeats "${name}"`);
    fields.set(name, field.slice(separator + 1).trim());
  }
  const price = fields.get("price");
  if (price === undefined) throw malformed("has no price");
  const payment = decodePaymentHeaders({ get: (name) => fields.get(name.toLowerCase()) ?? null });
  if (!payment) throw malformed("has no payment");
  return { payment, price: parseUint(headerNames.price, price) };
}

const allowedFields = new Set(
  ["price", ...paymentHeaderNames, headerNames.signerDelegation].map((name) => name.toLowerCase()),
);
