import type { Address, Hex } from "viem";

/** The latest balance proof the receiver accepted on a channel: what it can claim on chain. */
export type ProofRecord = {
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  signature: Hex;
  /** `METHOD /path?query` of the request the proof paid for; "" when it paid for none (a close at a higher balance). */
  request: string;
  /** When the receiver committed it, in ms since the epoch (the window for serving a retried request again). */
  committedAt: number;
};

/** The channel manager events the server keeps, already filtered to this receiver. */
export type ChannelEventName =
  | "ChannelCreated"
  | "ChannelToppedUp"
  | "ChannelWithdrawn"
  | "ChannelCloseRequested"
  | "ChannelSettled";

const channelEventNames: ReadonlySet<string> = new Set<ChannelEventName>([
  "ChannelCreated",
  "ChannelToppedUp",
  "ChannelWithdrawn",
  "ChannelCloseRequested",
  "ChannelSettled",
]);

/** Whether a name read back from a store is one of the channel events it keeps (both stores check every row). */
export function isChannelEventName(name: string): name is ChannelEventName {
  return channelEventNames.has(name);
}

/** One log of the channel manager, with the block it came in (for confirmations and reorg rollback). */
export type ChainEvent = {
  blockNumber: bigint;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
  name: ChannelEventName;
  sender: Address;
  openBlock: bigint;
  /** The event's amount fields (deposit, added, amount, withdrawn, balance, …) and the signer, if any. */
  amounts: Record<string, bigint>;
  signer?: Address | undefined;
  settleBlock?: bigint | undefined;
};

/** A processed block: number and hash, kept to notice when the chain reorganizes under the cursor. */
export type BlockRecord = { number: bigint; hash: Hex };

/** An auto-challenge the server sent (or must retry): settling a stale uncooperative close at its proof. */
export type ChallengeRecord = {
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  transactionHash: Hex | undefined;
  lastError: string | undefined;
};

/** A closing signature the receiver gave a sender: the channel closes at `balance` and takes no more payments. */
export type ClosingAgreementRecord = { sender: Address; openBlock: bigint; balance: bigint };

/** What the receiver earned in one hour from one resource: the payments' amounts summed (the operator's dashboard). */
export type EarningsRecord = {
  /** Start of the hour, in ms since the epoch. */
  hourStart: number;
  /** The paid request's path without its query ("/article/1"); "" for a close at a higher balance. */
  resource: string;
  amount: bigint;
  payments: number;
};

/** A channel as the store holds it: its events in chain order, its latest accepted proof, its closing mark. */
export type StoredChannel = {
  sender: Address;
  openBlock: bigint;
  /** From its ChannelCreated on (a channel without one is not returned). */
  events: ChainEvent[];
  /** With what the database knows of its delivery, where it keeps that (PostgreSQL). */
  proof: (ProofRecord & { delivered?: boolean; secondDeliveryUsed?: boolean }) | undefined;
  closing: boolean;
};

/** Which channels `loadChannels` reads; every field given must hold (none: every channel). */
export type ChannelFilter = {
  /** Exactly this channel (with `openBlock`). */
  sender?: Address | undefined;
  openBlock?: bigint | undefined;
  /** Its sender asked for an uncooperative close and it is not settled yet. */
  closePending?: boolean | undefined;
  /** It has an accepted proof. */
  paid?: boolean | undefined;
  /** It was not paid out on chain (no ChannelSettled). */
  unsettled?: boolean | undefined;
  /** Its accepted proof's balance is above what was withdrawn from it (something to withdraw). */
  owing?: boolean | undefined;
};

/** The receiver's totals over every channel, named as in the protocol's `ReceiverStats`. */
export type ChannelTotals = {
  /** Confirmed deposits of open channels. */
  depositSum: bigint;
  openChannels: number;
  /** Channels whose sender asked for an uncooperative close (challenge period running). */
  pendingChannels: number;
  /** Paid and not yet withdrawn, over channels not settled. */
  balanceSum: bigint;
  /** Senders with at least one confirmed open channel. */
  uniqueSenders: number;
};
