import type { PaymentRequirements, PaywallSite } from "@micro-raiden/web-client/protocol";
import type { Context } from "hono";

// Keyed by the request's context (one object through every middleware and the handler), so nothing is added to
// Hono's global variable map and nothing outlives the request.
const paid = new WeakMap<Context, { requirements: PaymentRequirements; site: PaywallSite }>();

/** Called by the paywall once it lets a request through as paid (a payment, or a one-time ticket). */
export function setPaidRequirements(c: Context, requirements: PaymentRequirements, site: PaywallSite = {}): void {
  paid.set(c, { requirements, site });
}

/** The receiver's chain and token details for a paid request (what its status bar tells the widget). */
export function paidSite(c: Context): PaywallSite {
  return paid.get(c)?.site ?? {};
}

/**
 * The payment requirements `paywall()` charged this request for (price included), for a handler behind it; undefined
 * for a request no paywall let through. A paid page uses them to carry the reader's channel status.
 *
 * @example
 * import { paidRequirements, paywall } from "@micro-raiden/receiver";
 * app.get("/report", paywall({ receiver, price: 10n ** 15n }), (c) => c.json({ price: `${paidRequirements(c)?.price}` }));
 */
export function paidRequirements(c: Context): PaymentRequirements | undefined {
  return paid.get(c)?.requirements;
}
