import type { ChannelInfo, Receiver } from "../Receiver.ts";
import { earningsHourMs } from "../store/earningsKey.ts";

/** Where the REST API (at its gateway path) answers the dashboard's data: operator only. */
export const dashboardPath = "/dashboard";
/** What the operator's commands sent and mined lately (`[{ at, message }]`, newest last): operator only. */
export const dashboardActivityPath = "/dashboard/activity";
/** The longest period the dashboard charts, in days (the store keeps every hour; the chart stays readable). */
export const dashboardMaxDays = 366;
/** Channels listed per state, largest balances first: the counts are always complete. */
const listedChannels = 50;
/** Resources listed by revenue. */
const topResources = 10;
const dayMs = 24 * earningsHourMs;

/** The dashboard's period: `days` back from now, in hours up to two days and in UTC days beyond. */
export type DashboardPeriod = { days: number; now: number };

/** The `days` query parameter: a whole number of days from 1 to 366 (7 when absent); undefined when malformed. */
export function parseDashboardDays(value: string | undefined): number | undefined {
  if (value === undefined) return 7;
  if (!/^[1-9][0-9]{0,2}$/.test(value)) return undefined;
  const days = Number(value);
  return days <= dashboardMaxDays ? days : undefined;
}

/**
 * What the operator's dashboard shows, as JSON (amounts as decimal strings in the token's base units; the page
 * formats them with the token's decimals): earnings over the period and by resource, channels by state, what is
 * withdrawable now, channels in their challenge period, sponsored opens, and the receiver's token balance.
 */
export async function dashboardData(receiver: Receiver, period: DashboardPeriod) {
  const bucketMs = period.days <= 2 ? earningsHourMs : dayMs;
  const end = Math.floor(period.now / bucketMs) * bucketMs;
  const start = end - (Math.ceil((period.days * dayMs) / bucketMs) - 1) * bucketMs;
  const buckets = new Map<number, bigint>();
  for (let at = start; at <= end; at += bucketMs) buckets.set(at, 0n);
  const byResource = new Map<string, { amount: bigint; payments: number }>();
  let total = 0n;
  let payments = 0;
  for (const record of receiver.earnings(start)) {
    const bucket = Math.floor(record.hourStart / bucketMs) * bucketMs;
    // An hour stamped ahead of this clock (another receiver's) is left out rather than charted beyond "now".
    if (!buckets.has(bucket)) continue;
    buckets.set(bucket, (buckets.get(bucket) ?? 0n) + record.amount);
    const resource = byResource.get(record.resource) ?? { amount: 0n, payments: 0 };
    resource.amount += record.amount;
    resource.payments += record.payments;
    byResource.set(record.resource, resource);
    total += record.amount;
    payments += record.payments;
  }

  const channels = receiver.listChannels();
  const inState = (state: ChannelInfo["state"]) => channels.filter((channel) => channel.state === state);
  const open = inState("open");
  const closing = inState("closing");
  const owed = (channel: ChannelInfo) => channel.balance - channel.withdrawn;
  const withdrawable = open.filter((channel) => channel.balanceSignature && owed(channel) > 0n);
  const stats = await receiver.getStats();
  const describe = (channel: ChannelInfo) => ({
    sender: channel.sender,
    open_block: channel.openBlock.toString(),
    state: channel.state,
    deposit: channel.deposit.toString(),
    balance: channel.balance.toString(),
    withdrawn: channel.withdrawn.toString(),
  });
  const largestFirst = (list: ChannelInfo[]) =>
    [...list]
      .sort((a, b) => (a.balance === b.balance ? 0 : a.balance > b.balance ? -1 : 1))
      .slice(0, listedChannels)
      .map(describe);

  return {
    receiver: receiver.address,
    chain_id: receiver.deployment.chainId,
    channel_manager: receiver.deployment.channelManager,
    token: { address: receiver.token.address, symbol: receiver.token.symbol, decimals: receiver.token.decimals },
    can_operate: receiver.canOperate,
    earnings: {
      bucket: bucketMs === earningsHourMs ? "hour" : "day",
      days: period.days,
      total: total.toString(),
      payments,
      series: [...buckets].map(([at, amount]) => ({ start: at, amount: amount.toString() })),
      top_resources: [...byResource]
        .sort(([, a], [, b]) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))
        .slice(0, topResources)
        .map(([resource, { amount, payments }]) => ({ resource, amount: amount.toString(), payments })),
    },
    channels: {
      counts: {
        pending: inState("pending").length,
        open: open.length,
        closing: closing.length,
        settled: inState("settled").length,
      },
      open: largestFirst(open),
      // A sender asked to close without the receiver: the watcher challenges a close below the receiver's proof
      // before the period ends.
      closing: largestFirst(closing),
    },
    withdrawable: {
      amount: withdrawable.reduce((sum, channel) => sum + owed(channel), 0n).toString(),
      channels: withdrawable.length,
    },
    unwithdrawn: stats.balanceSum.toString(),
    liquid_balance: stats.liquidBalance.toString(),
    sponsored_opens: receiver.sponsor ? receiver.sponsor.opened() : null,
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;
