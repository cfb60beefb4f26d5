import type { RateEvents } from "../store/RateEvents.ts";

/** How many events a key may have within a window. */
export type RateLimit = { limit: number; windowMs: number };

/** A sponsored open's admission: its slots (`giveBack` frees them), or how long until the sender and client may. */
export type SponsoredOpenAdmission = { giveBack: () => Promise<void> } | { waitMs: number };

export type SponsoredOpenLimiter = {
  /** Takes a slot of the sender's limit and one of the client's, both or neither; throws when the store cannot. */
  admit(sender: string, client: string): Promise<SponsoredOpenAdmission>;
};

/**
 * The sponsored opens' sliding-window limits per sender and per client address, counted in the receiver's store
 * (`RateEvents`): every receiver sharing a PostgreSQL database counts against the same limits, and a restart (or a new
 * leader) forgets nothing.
 *
 * @example
 * const limiter = sponsoredOpenLimiter(store, { limit: 3, windowMs: 86_400_000 }, { limit: 10, windowMs: 3_600_000 });
 * const admission = await limiter.admit(sender, clientAddress);
 */
export function sponsoredOpenLimiter(
  events: RateEvents,
  perSender: RateLimit,
  perClient: RateLimit,
  now: () => number = Date.now,
): SponsoredOpenLimiter {
  for (const rate of [perSender, perClient]) {
    if (!Number.isSafeInteger(rate.limit) || rate.limit < 1) throw new Error("A rate limit must allow at least 1.");
    if (!(rate.windowMs > 0)) throw new Error("A rate limit's window must be positive.");
  }
  return {
    async admit(sender, client) {
      const admission = await events.takeRateSlots(
        [
          { scope: "sponsored-open-sender", key: sender, ...perSender },
          { scope: "sponsored-open-client", key: client, ...perClient },
        ],
        now(),
      );
      if ("waitMs" in admission) return admission;
      return { giveBack: () => events.giveBackRateSlots(admission.taken) };
    },
  };
}
