import type { SpendingPolicy } from "../client/createChannelClient.ts";
import type { AutoPayLimit, StoredChannel } from "../storage/ChannelStorage.ts";

/** The window `AutoPayLimit.perMinute` counts in. */
const windowMs = 60_000;

/**
 * What a channel opened now for a resource priced `price` may pay without asking, under `policy`: the policy's
 * `maxPrice` (a site's declared ceiling) else that price, and `maxPaymentsPerMinute` a minute. Undefined when the
 * policy sets no rate (a machine client's): such a channel has no automatic limit of its own.
 *
 * @example
 * import { autoPayLimit, openChannel } from "@micro-raiden/web-client";
 * await openChannel(client, { ...requirements, deposit, autoPay: autoPayLimit(client.policy, requirements.price) });
 */
export function autoPayLimit(policy: SpendingPolicy, price: bigint): AutoPayLimit | undefined {
  const perMinute = policy.maxPaymentsPerMinute;
  return perMinute === undefined ? undefined : { maxPrice: policy.maxPrice ?? price, perMinute };
}

/** The channel's automatic payments made in the minute before `now` (a clock set back drops those "after" it). */
export function recentAutoPayments(channel: Pick<StoredChannel, "autoPaidAt">, now: number): number[] {
  return (channel.autoPaidAt ?? []).filter((at) => at > now - windowMs && at <= now);
}

/**
 * What `channel` pays without asking under `policy`: its own `autoPay`, chosen when it was opened. A channel opened
 * before channels carried one gets the policy's instead when the policy sets a rate (a browser's): its `maxPrice`,
 * or nothing at all when it declares none, so the reader is asked once and the price they approve becomes the
 * channel's own limit (`pay` records it). Undefined when neither limits (a machine client's channel).
 */
export function channelAutoPay(
  channel: Pick<StoredChannel, "autoPay">,
  policy: SpendingPolicy = {},
): AutoPayLimit | undefined {
  if (channel.autoPay) return channel.autoPay;
  const perMinute = policy.maxPaymentsPerMinute;
  return perMinute === undefined ? undefined : { maxPrice: policy.maxPrice ?? 0n, perMinute };
}

/**
 * Why `channel` would not pay `amount` without asking at `now` (under `policy`, for a channel without its own
 * limit: `channelAutoPay`): above the limit's `maxPrice`, or its `perMinute` used; undefined when it would (or has no
 * limit). `pay` refuses on it; a paywall asks the reader on it.
 */
export function autoPayRefusal(
  channel: Pick<StoredChannel, "autoPay" | "autoPaidAt">,
  amount: bigint,
  now: number,
  policy?: SpendingPolicy,
): "price" | "rate" | undefined {
  const limit = channelAutoPay(channel, policy);
  if (!limit) return undefined;
  if (amount > limit.maxPrice) return "price";
  return recentAutoPayments(channel, now).length >= limit.perMinute ? "rate" : undefined;
}
