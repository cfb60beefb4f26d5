import { type Address, getAddress, type Hex } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ChainEvent, ChannelFilter, ChannelTotals, ProofRecord, StoredChannel } from "../store/records.ts";

/**
 * The latest accepted payment of a channel: its proof, the request it paid for, and whether its response went out.
 * `delivered` and `secondDeliveryUsed` live in memory only: after a crash every committed payment counts as
 * undelivered, so the request that was cut off can be repeated once (see the protocol README's retry rule).
 */
export type LatestPayment = {
  balance: bigint;
  signature: Hex;
  /** `METHOD /path?query` of the request this payment paid for ("" for a proof that paid no request: a close). */
  request: string;
  /** When it was committed, in ms since the epoch. */
  committedAt: number;
  delivered: boolean;
  /**
   * The one delivery a payment has beyond its paid answer is used: a repeat of its request, or the reload that
   * redeemed its navigation ticket. Whichever comes first; the other is refused, so one payment is delivered at most
   * twice.
   */
  secondDeliveryUsed: boolean;
};

/** A channel to this receiver, as the chain and the accepted payments describe it. */
export type ChannelView = {
  sender: Address;
  openBlock: bigint;
  /** Deposits with the block they came in, so only confirmed ones count. */
  deposits: { block: bigint; amount: bigint }[];
  signer: Address | undefined;
  withdrawn: bigint;
  closeRequest: { balance: bigint; settleBlock: bigint; block: bigint } | undefined;
  settled: boolean;
  /** The latest accepted balance and its proof (zero and undefined before the first payment). */
  balance: bigint;
  signature: Hex | undefined;
  /** The latest accepted payment (one object while it may be repeated, whether the channel stays in memory or not). */
  latest: LatestPayment | undefined;
  /** A closing signature was handed out, or the operator is closing it: no more payments. */
  closing: boolean;
};

export type ChannelStatus = "pending" | "open" | "closing" | "settled";

/** The receiver's totals, as the store adds them up (`ProofStore.channelTotals`). */
export type BookTotals = ChannelTotals;

export function channelKey(sender: Address, openBlock: bigint): string {
  return `${sender.toLowerCase()}:${openBlock}`;
}

/** Default of `maxChannels`: a few thousand readers paying at once, a few MB. */
export const defaultMaxChannels = 10_000;

export type ChannelBookOptions = {
  /** Where a channel not in memory is read from. */
  store: Pick<ProofStore, "loadChannels">;
  /** Channels kept in memory at most (the least recently used go first); default 10 000. */
  maxChannels?: number | undefined;
  /** Channels that must stay in memory whatever the bound: a request holds them (their view is in use). */
  pinned?: ((key: string) => boolean) | undefined;
  /** How long a payment may be repeated for free (the receiver's `repeatWindowMs`): its delivery marks live that long. */
  repeatWindowMs?: number | undefined;
  now?: (() => number) | undefined;
};

/** A channel in memory, with the last stored event its view reflects (an event at or before it is not applied twice). */
type Entry = { view: ChannelView; block: bigint; logIndex: number };

/**
 * The channels of one receiver: a bounded cache over its store. A channel is read from the store (its events, proof
 * and closing mark, through indexes) the first time it is asked for and kept, the least recently used going first
 * beyond `maxChannels`, so a receiver starts at once and its memory stays flat however many channels are stored.
 * What changes reaches the channels in memory (events the watcher or the database follower applies, accepted proofs);
 * the store already holds it for the others.
 *
 * A payment's delivery marks (`LatestPayment.delivered`, `secondDeliveryUsed`) live in memory (with SQLite): each
 * payment young enough to be repeated keeps its one `LatestPayment` object, whether its channel stays in memory or
 * is read again, so evicting a channel never grants a second free delivery.
 */
export class ChannelBook {
  readonly #store: Pick<ProofStore, "loadChannels">;
  readonly #max: number;
  readonly #pinned: (key: string) => boolean;
  readonly #repeatWindowMs: number;
  readonly #now: () => number;
  /** In least recently used order (a use moves an entry to the end). */
  readonly #channels = new Map<string, Entry>();
  /** Payments that may still be repeated, by channel, oldest commit first (roughly: a later one moves to the end). */
  readonly #recent = new Map<string, LatestPayment>();
  /**
   * Channels whose sender got a closing signature in this process: their mark is never taken back, whatever the
   * operator's close does. Memory is enough: after a restart nothing is taken back (the operator's close that could
   * fail died with the process, and a later one finds the channel closing already).
   */
  readonly #signed = new Set<string>();
  /**
   * What this receiver's own transactions did to channels (withdrawn to, paid out) before its store holds their events
   * (the watcher reads them at its next poll): kept whether the channel stays in memory or not, so one evicted and read
   * again meanwhile is not offered to withdraw or close again. Dropped when the event comes (or a reorg's `clear`).
   */
  readonly #ownTransactions = new Map<string, { withdrawn: bigint; settled: boolean }>();
  #version = 0;
  /** The last stored block a channel read from the store may reflect (a follower's); undefined: every stored block. */
  #through: bigint | undefined;

  constructor(options: ChannelBookOptions) {
    this.#store = options.store;
    this.#max = options.maxChannels ?? defaultMaxChannels;
    if (!Number.isSafeInteger(this.#max) || this.#max < 1) throw new Error("maxChannels must be a whole number ≥ 1.");
    this.#pinned = options.pinned ?? (() => false);
    this.#repeatWindowMs = options.repeatWindowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** The channel, read from the store unless in memory; undefined when the store knows no such channel. */
  get(sender: Address, openBlock: bigint): ChannelView | undefined {
    const key = channelKey(sender, openBlock);
    const entry = this.#channels.get(key);
    if (entry) {
      this.#channels.delete(key);
      this.#channels.set(key, entry);
      return entry.view;
    }
    const [stored] = this.#store.loadChannels({ sender: getAddress(sender), openBlock });
    const loaded = stored && this.#entryOf(stored);
    if (!loaded) return undefined;
    this.#channels.set(key, loaded);
    this.#evict();
    return loaded.view;
  }

  /** The channel if it is in memory, without reading the store or counting as a use. */
  peek(sender: Address, openBlock: bigint): ChannelView | undefined {
    return this.#channels.get(channelKey(sender, openBlock))?.view;
  }

  /**
   * The channels `filter` selects, as the store holds them (those in memory as they are there); the ones read are not
   * kept, so a listing of every channel passes through memory without filling the cache.
   */
  select(filter: ChannelFilter): ChannelView[] {
    const views: ChannelView[] = [];
    for (const stored of this.#store.loadChannels(filter)) {
      const view = this.#channels.get(channelKey(stored.sender, stored.openBlock))?.view ?? this.#entryOf(stored)?.view;
      if (view) views.push(view);
    }
    return views;
  }

  /**
   * Channels read from the store from now on reflect its events up to `block` only (undefined: all of them). A
   * receiver following the database sets the block its last read reached: the database may already hold later blocks
   * that a reorganization will replace, which that receiver notices only at the block it reached, so a channel read
   * on a miss must not take them (its next read applies them, in order, once it checked the chain they are on).
   */
  readThrough(block: bigint | undefined): void {
    this.#through = block;
  }

  /** Channels in memory now. */
  get size(): number {
    return this.#channels.size;
  }

  /** Counts every change the book sees (its own channels' or not): the receiver's /stats are read again after one. */
  get version(): number {
    return this.#version;
  }

  /**
   * Forgets every channel in memory, in use or not: the stored chain changed under them (a reorg), or this receiver
   * starts following the database anew. They are read again when asked for (a request holding one sees it replaced,
   * as after any change of its channel; its payments' objects stay, see `recordProof`).
   */
  clear(): void {
    this.#version++;
    this.#channels.clear();
    this.#ownTransactions.clear();
  }

  /** Applies one event in chain order, after the store got it: to the channel if in memory (others read it later). */
  apply(event: ChainEvent): void {
    this.#version++;
    const key = channelKey(event.sender, event.openBlock);
    const own = this.#ownTransactions.get(key);
    if (
      own &&
      (event.name === "ChannelSettled" || (!own.settled && (event.amounts.withdrawn ?? -1n) >= own.withdrawn))
    ) {
      this.#ownTransactions.delete(key);
    }
    const entry = this.#channels.get(key);
    if (!entry) return;
    if (event.blockNumber < entry.block || (event.blockNumber === entry.block && event.logIndex <= entry.logIndex)) {
      return;
    }
    if (event.name === "ChannelCreated") {
      // The same channel again (a reorganization re-included it): a new view, its payment kept.
      const { latest, closing } = entry.view;
      entry.view = { ...newView(event), balance: latest?.balance ?? 0n, signature: latest?.signature, latest, closing };
    } else applyEvent(entry.view, event);
    entry.block = event.blockNumber;
    entry.logIndex = event.logIndex;
  }

  /**
   * Records an accepted (and stored) proof and returns its payment; a lower balance than the one known never
   * replaces it (then the known payment is returned).
   */
  recordProof(proof: ProofRecord): LatestPayment {
    this.#version++;
    const key = channelKey(proof.sender, proof.openBlock);
    const view = this.#channels.get(key)?.view;
    const known = view?.latest ?? this.#young(key);
    if (known && known.balance > proof.balance) return known;
    const latest: LatestPayment = {
      balance: proof.balance,
      signature: proof.signature,
      request: proof.request,
      committedAt: proof.committedAt,
      delivered: false,
      secondDeliveryUsed: false,
    };
    this.#remember(key, latest);
    if (view) {
      view.balance = proof.balance;
      view.signature = proof.signature;
      view.latest = latest;
    }
    return latest;
  }

  /**
   * A proof another receiver committed (read from the shared database): the channel in memory takes it if it is
   * higher than the balance it knows; a channel not in memory reads it when asked for.
   */
  learnProof(proof: ProofRecord): void {
    this.#version++;
    const view = this.peek(proof.sender, proof.openBlock);
    if (view && proof.balance > view.balance) this.recordProof(proof);
  }

  /** What the receiver's own withdraw transaction took from a channel, before the watcher stores its event. */
  recordWithdrawn(sender: Address, openBlock: bigint, withdrawn: bigint): void {
    this.#ownTransaction(sender, openBlock, (own) => {
      if (withdrawn > own.withdrawn) own.withdrawn = withdrawn;
    });
  }

  /** The receiver's own transaction paid the channel out (closed it cooperatively), before the watcher stores it. */
  markSettled(sender: Address, openBlock: bigint): void {
    this.#ownTransaction(sender, openBlock, (own) => {
      own.settled = true;
    });
  }

  #ownTransaction(sender: Address, openBlock: bigint, change: (own: { withdrawn: bigint; settled: boolean }) => void) {
    this.#version++;
    const key = channelKey(sender, openBlock);
    const own = this.#ownTransactions.get(key) ?? { withdrawn: 0n, settled: false };
    change(own);
    this.#ownTransactions.set(key, own);
    const view = this.peek(sender, openBlock);
    if (view) withOwnTransaction(view, own);
  }

  /**
   * Marks a channel as closing (the operator closes it, or its sender gets a closing signature): no more payments.
   * The mark is stored first; this tells the channel in memory.
   */
  markClosing(sender: Address, openBlock: bigint): void {
    const view = this.peek(sender, openBlock);
    if (view) view.closing = true;
  }

  /** Marks a channel as closing for good: its sender got (or is about to get) a closing signature. */
  markSigned(sender: Address, openBlock: bigint): void {
    this.markClosing(sender, openBlock);
    this.#signed.add(channelKey(sender, openBlock));
  }

  /**
   * Takes back a mark that `markClosing` added, when the operator's close failed; returns false and keeps it when the
   * sender got a closing signature meanwhile (it can still close at that balance, so no payment may follow).
   */
  clearClosing(sender: Address, openBlock: bigint): boolean {
    if (this.#signed.has(channelKey(sender, openBlock))) return false;
    const view = this.peek(sender, openBlock);
    if (view) view.closing = false;
    return true;
  }

  /** The channel as `stored` describes it, up to `readThrough`'s block; undefined if it was opened after that. */
  #entryOf(stored: StoredChannel): Entry | undefined {
    const through = this.#through;
    const events = through === undefined ? stored.events : stored.events.filter((e) => e.blockNumber <= through);
    const [created, ...rest] = events;
    if (!created) return undefined;
    const view = newView(created);
    for (const event of rest) applyEvent(view, event);
    const last = events.at(-1) ?? created;
    view.closing = stored.closing;
    const key = channelKey(stored.sender, stored.openBlock);
    const own = this.#ownTransactions.get(key);
    if (own && view.withdrawn >= own.withdrawn && (view.settled || !own.settled)) this.#ownTransactions.delete(key);
    else if (own) withOwnTransaction(view, own);
    const { proof } = stored;
    if (proof) {
      // The payment's one object while it may be repeated: its marks were set on it, perhaps before an eviction.
      const young = this.#young(key);
      let latest: LatestPayment;
      if (young && young.balance === proof.balance && young.signature === proof.signature) latest = young;
      else {
        latest = {
          balance: proof.balance,
          signature: proof.signature,
          request: proof.request,
          committedAt: proof.committedAt,
          delivered: proof.delivered ?? false,
          secondDeliveryUsed: proof.secondDeliveryUsed ?? false,
        };
        if (young && young.balance < proof.balance) this.#recent.delete(key);
      }
      view.balance = latest.balance;
      view.signature = latest.signature;
      view.latest = latest;
    }
    return { view, block: last.blockNumber, logIndex: last.logIndex };
  }

  /** Drops the least recently used channels beyond the bound, never one in use. */
  #evict(): void {
    if (this.#channels.size <= this.#max) return;
    for (const key of this.#channels.keys()) {
      if (this.#channels.size <= this.#max) break;
      if (!this.#pinned(key)) this.#channels.delete(key);
    }
  }

  /** The channel's payment that may still be repeated, if any. */
  #young(key: string): LatestPayment | undefined {
    const latest = this.#recent.get(key);
    if (latest && this.#now() - latest.committedAt > this.#repeatWindowMs) {
      this.#recent.delete(key);
      return undefined;
    }
    return latest;
  }

  /** Keeps a payment's object while it may be repeated; forgets the oldest ones past that. */
  #remember(key: string, latest: LatestPayment): void {
    this.#recent.delete(key);
    this.#recent.set(key, latest);
    const oldest = this.#now() - this.#repeatWindowMs;
    for (const [k, payment] of this.#recent) {
      if (payment.committedAt >= oldest) break;
      this.#recent.delete(k);
    }
  }
}

/** A channel as its ChannelCreated event makes it, before any payment. */
function newView(event: ChainEvent): ChannelView {
  return {
    sender: event.sender,
    openBlock: event.openBlock,
    deposits: [{ block: event.blockNumber, amount: event.amounts.deposit ?? 0n }],
    signer: event.signer,
    withdrawn: 0n,
    closeRequest: undefined,
    settled: false,
    balance: 0n,
    signature: undefined,
    latest: undefined,
    closing: false,
  };
}

/** A channel as the receiver's own transactions left it, whether the store holds their events yet or not. */
function withOwnTransaction(view: ChannelView, own: { withdrawn: bigint; settled: boolean }): void {
  if (own.withdrawn > view.withdrawn) view.withdrawn = own.withdrawn;
  if (own.settled) view.settled = true;
}

/** Applies one event after the channel's creation, in chain order. */
function applyEvent(channel: ChannelView, event: ChainEvent): void {
  switch (event.name) {
    case "ChannelToppedUp":
      channel.deposits.push({ block: event.blockNumber, amount: event.amounts.added ?? 0n });
      break;
    case "ChannelWithdrawn": {
      const withdrawn = event.amounts.withdrawn ?? channel.withdrawn;
      if (withdrawn > channel.withdrawn) channel.withdrawn = withdrawn;
      break;
    }
    case "ChannelCloseRequested":
      channel.closeRequest = {
        balance: event.amounts.balance ?? 0n,
        settleBlock: event.settleBlock ?? 0n,
        block: event.blockNumber,
      };
      break;
    case "ChannelSettled":
      channel.settled = true;
      break;
  }
}

/** The deposit that counts: what arrived in blocks with at least `confirmations` confirmations at `head`. */
export function confirmedDeposit(channel: ChannelView, head: bigint, confirmations: number): bigint {
  const limit = head - BigInt(confirmations) + 1n;
  return channel.deposits.reduce((sum, d) => (d.block <= limit ? sum + d.amount : sum), 0n);
}

export function channelStatus(channel: ChannelView, head: bigint, confirmations: number): ChannelStatus {
  if (channel.settled) return "settled";
  if (channel.closeRequest) return "closing";
  const created = channel.deposits[0]?.block ?? 0n;
  return created > head - BigInt(confirmations) + 1n ? "pending" : "open";
}

/** Blocks still to wait before the channel's opening block has enough confirmations. */
export function blocksToConfirmation(channel: ChannelView, head: bigint, confirmations: number): bigint {
  const created = channel.deposits[0]?.block ?? 0n;
  const needed = created + BigInt(confirmations) - 1n - head;
  return needed > 0n ? needed : 0n;
}
