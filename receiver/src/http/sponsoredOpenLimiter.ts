/** How many events a key may have within a window. */
export type RateLimit = { limit: number; windowMs: number };

export type SponsoredOpenLimiter = {
  /** Ms until `key` may take another slot, or 0 when it may now. */
  waitFor(key: string): number;
  /** Records one event for `key` now; the function returned takes it back (an attempt that never reached the chain). */
  take(key: string): () => void;
};

/** Keys kept before expired ones are swept, so a flood of one-off client addresses cannot grow memory without end. */
const sweepAbove = 10_000;

/**
 * A sliding-window rate limiter in memory: each key keeps the times of its events within the last window, and may
 * add one while fewer than `limit` remain. In memory, so it limits per process: several receiver instances behind one
 * address need a shared store (Redis, the database) for the limits to hold in total.
 *
 * @example
 * const perSender = sponsoredOpenLimiter({ limit: 3, windowMs: 86_400_000 });
 * if (perSender.waitFor(sender) === 0) perSender.take(sender);
 */
export function sponsoredOpenLimiter(rate: RateLimit, now: () => number = Date.now): SponsoredOpenLimiter {
  if (!Number.isSafeInteger(rate.limit) || rate.limit < 1) throw new Error("A rate limit must allow at least 1.");
  if (!(rate.windowMs > 0)) throw new Error("A rate limit's window must be positive.");
  const events = new Map<string, number[]>();
  const recent = (key: string, at: number): number[] => {
    const times = (events.get(key) ?? []).filter((t) => t > at - rate.windowMs);
    if (times.length === 0) events.delete(key);
    else events.set(key, times);
    return times;
  };
  return {
    waitFor(key) {
      const at = now();
      const times = recent(key, at);
      if (times.length < rate.limit) return 0;
      // The oldest of the last `limit` events leaves the window first.
      return (times[times.length - rate.limit] ?? at) + rate.windowMs - at;
    },
    take(key) {
      const at = now();
      if (events.size > sweepAbove) for (const stale of [...events.keys()]) recent(stale, at);
      events.set(key, [...recent(key, at), at]);
      return () => {
        const times = events.get(key) ?? [];
        const index = times.lastIndexOf(at);
        if (index >= 0) times.splice(index, 1);
        if (times.length === 0) events.delete(key);
      };
    },
  };
}
