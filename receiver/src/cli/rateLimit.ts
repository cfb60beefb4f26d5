import type { RateLimit } from "../http/sponsoredOpenLimiter.ts";

/** Reads "COUNT/SECONDS" (e.g. "3/86400": three a day) as a rate limit; undefined for anything else. */
export function rateLimit(text: string): RateLimit | undefined {
  const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const windowMs = Number(match[2]) * 1000;
  return Number.isSafeInteger(limit) && Number.isSafeInteger(windowMs) ? { limit, windowMs } : undefined;
}
