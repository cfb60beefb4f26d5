import type { PaymentRequirements } from "@micro-raiden/web-client";
import type { Address } from "viem";
import type { TokenInfo } from "../format/formatTokenAmount.ts";

/**
 * The figures the status bar last showed for a channel to a site: what the bar shows on the next paid page while
 * the wallet reconnects and the channel loads, instead of nothing. Figures only: no key, no signature.
 */
export type StatusSnapshot = {
  sender: Address;
  deposit: bigint;
  balance: bigint;
  /** The price the pages left are counted at. */
  pagePrice: bigint;
  /** Paid with a session key (no prompt per page), not by the wallet. */
  sessionKey: boolean;
  autoPay: { maxPrice: bigint; perMinute: number } | undefined;
  token: TokenInfo;
};

/** One entry per site (its receiver, on one chain and manager), in the site's own localStorage. */
const keyOf = (requirements: PaymentRequirements) =>
  `micro-raiden:status:${requirements.chainId}:${requirements.contract}:${requirements.receiver}`.toLowerCase();

// React's useSyncExternalStore wants the same object for the same stored text.
let cached: { text: string; snapshot: StatusSnapshot | undefined } | undefined;

/** Stores what the bar shows now, for the next page; `undefined` forgets it (no channel, or a closed one). */
export function saveStatusSnapshot(requirements: PaymentRequirements, snapshot: StatusSnapshot | undefined): void {
  try {
    const key = keyOf(requirements);
    if (snapshot === undefined) localStorage.removeItem(key);
    else
      localStorage.setItem(
        key,
        JSON.stringify(snapshot, (_, value) => (typeof value === "bigint" ? `${value}` : value)),
      );
  } catch {
    // No storage (private mode, a sandboxed frame, a full quota): the next page shows a placeholder instead.
  }
}

/** The snapshot stored for `requirements`' site, if any (the same object for the same stored text). */
export function readStatusSnapshot(requirements: PaymentRequirements): StatusSnapshot | undefined {
  const key = keyOf(requirements);
  let text: string | null = null;
  try {
    text = localStorage.getItem(key);
  } catch {
    return undefined;
  }
  if (text === null) return undefined;
  if (cached?.text !== text) cached = { text, snapshot: parse(text) };
  return cached.snapshot;
}

function parse(text: string): StatusSnapshot | undefined {
  try {
    const stored = JSON.parse(text);
    const autoPay = stored.autoPay
      ? { maxPrice: BigInt(stored.autoPay.maxPrice), perMinute: Number(stored.autoPay.perMinute) }
      : undefined;
    const snapshot: StatusSnapshot = {
      sender: stored.sender,
      deposit: BigInt(stored.deposit),
      balance: BigInt(stored.balance),
      pagePrice: BigInt(stored.pagePrice),
      sessionKey: stored.sessionKey === true,
      autoPay,
      token: { symbol: String(stored.token.symbol), decimals: Number(stored.token.decimals) },
    };
    const valid =
      typeof snapshot.sender === "string" &&
      snapshot.pagePrice > 0n &&
      Number.isInteger(snapshot.token.decimals) &&
      (autoPay === undefined || Number.isInteger(autoPay.perMinute));
    return valid ? snapshot : undefined;
  } catch {
    // Written by another version, or by hand: not worth showing.
    return undefined;
  }
}
