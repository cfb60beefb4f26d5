/** One rate limit to check and take a slot of: at most `limit` events of `key` within `windowMs`. */
export type RateSlot = { scope: string; key: string; limit: number; windowMs: number };

/** Slots taken (their event ids, to give them back), or how long until every key may take one, in ms. */
export type RateAdmission = { taken: bigint[] } | { waitMs: number };

/**
 * Events counted against rate limits, kept in the receiver's store so that the limits hold in total for every
 * receiver sharing it (PostgreSQL), and across a restart (SQLite too).
 */
export type RateEvents = {
  /**
   * In one step no other receiver can come between: when every slot's key has fewer than its `limit` events within
   * the `windowMs` before `at` (ms since the epoch), records one event per slot at `at`; otherwise records nothing and
   * says how long until all of them may. Forgets the slots' scopes' events that left their window.
   */
  takeRateSlots(slots: readonly RateSlot[], at: number): Promise<RateAdmission>;
  /** Forgets events `takeRateSlots` recorded (an attempt that never reached the chain counts for nothing). */
  giveBackRateSlots(ids: readonly bigint[]): Promise<void>;
};
