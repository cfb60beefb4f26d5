import type { Address, Hex } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ChainEvent, ProofRecord } from "../store/records.ts";

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
  /** The latest accepted payment, shared with the book's proof index (it survives a rebuild). */
  latest: LatestPayment | undefined;
  /** A closing signature was handed out, or the operator is closing it: no more payments. */
  closing: boolean;
};

export type ChannelStatus = "pending" | "open" | "closing" | "settled";

/** The receiver's totals, named as in the protocol's `ReceiverStats` (which adds the token balance and addresses). */
export type BookTotals = {
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

export function channelKey(sender: Address, openBlock: bigint): string {
  return `${sender.toLowerCase()}:${openBlock}`;
}

/** A deposit (or a channel's creation) still short of its confirmations: the totals leave it out until then. */
type Unconfirmed = { key: string; sender: string; block: bigint; amount: bigint; creates: boolean };

/**
 * The channels of one receiver, rebuilt from chain events and stored proofs, kept in memory for the hot path.
 * It also keeps the totals `/stats` reports up to date with every change, so reading them never walks the
 * channels: `totals()` costs O(deposits still waiting for confirmation), whatever the number of channels.
 */
export class ChannelBook {
  readonly #channels = new Map<string, ChannelView>();
  /**
   * Every accepted proof by channel key, also for channels the chain does not show (any more): a reorg may drop a
   * channel and re-include it with the same identity, and its accepted balance must come back with it.
   */
  readonly #proofs = new Map<string, LatestPayment>();
  /** Channels that take no more payments: closing signature handed out, or the operator closing (kept across rebuilds). */
  readonly #closing = new Set<string>();
  /**
   * Channels whose sender got a closing signature in this process: their mark is never taken back, whatever the
   * operator's close does. Memory is enough: after a restart nothing is taken back (the operator's close that could
   * fail died with the process, and a later one finds the channel closing already).
   */
  readonly #signed = new Set<string>();

  // Totals over channels the chain shows as open (no close requested, not settled), confirmed or not; the
  // unconfirmed part is subtracted when read.
  #openCount = 0;
  #depositSum = 0n;
  #openBySender = new Map<string, number>();
  #closingCount = 0;
  #balanceSum = 0n;
  #unconfirmed: Unconfirmed[] = [];

  get(sender: Address, openBlock: bigint): ChannelView | undefined {
    return this.#channels.get(channelKey(sender, openBlock));
  }

  /** Every channel the book knows, in the order they were opened. */
  values(): IterableIterator<ChannelView> {
    return this.#channels.values();
  }

  get size(): number {
    return this.#channels.size;
  }

  /** Rebuilds every channel from the store: events, proofs and closing agreements (after a start or a reorg). */
  rebuild(store: Pick<ProofStore, "loadEvents" | "loadProofs" | "loadClosingAgreements">): void {
    this.#channels.clear();
    this.#openCount = 0;
    this.#depositSum = 0n;
    this.#openBySender.clear();
    this.#closingCount = 0;
    this.#balanceSum = 0n;
    this.#unconfirmed = [];
    for (const proof of store.loadProofs()) this.recordProof(proof);
    for (const agreement of store.loadClosingAgreements()) this.markClosing(agreement.sender, agreement.openBlock);
    for (const event of store.loadEvents()) this.apply(event);
  }

  /** Applies one event in chain order. */
  apply(event: ChainEvent): void {
    const key = channelKey(event.sender, event.openBlock);
    let channel = this.#channels.get(key);
    if (event.name === "ChannelCreated") {
      if (channel) this.#leave(channel);
      const latest = this.#proofs.get(key);
      const deposit = event.amounts.deposit ?? 0n;
      channel = {
        sender: event.sender,
        openBlock: event.openBlock,
        deposits: [{ block: event.blockNumber, amount: deposit }],
        signer: event.signer,
        withdrawn: 0n,
        closeRequest: undefined,
        settled: false,
        balance: latest?.balance ?? 0n,
        signature: latest?.signature,
        latest,
        closing: this.#closing.has(key),
      };
      this.#channels.set(key, channel);
      this.#enter(channel);
      const sender = event.sender.toLowerCase();
      this.#unconfirmed.push({ key, sender, block: event.blockNumber, amount: deposit, creates: true });
      return;
    }
    if (!channel) return;
    switch (event.name) {
      case "ChannelToppedUp": {
        const added = event.amounts.added ?? 0n;
        channel.deposits.push({ block: event.blockNumber, amount: added });
        if (this.#chainOpen(channel)) {
          this.#depositSum += added;
          this.#unconfirmed.push({ key, sender: "", block: event.blockNumber, amount: added, creates: false });
        }
        break;
      }
      case "ChannelWithdrawn":
        this.recordWithdrawn(channel, event.amounts.withdrawn ?? channel.withdrawn);
        break;
      case "ChannelCloseRequested":
        this.#leave(channel);
        channel.closeRequest = {
          balance: event.amounts.balance ?? 0n,
          settleBlock: event.settleBlock ?? 0n,
          block: event.blockNumber,
        };
        this.#enter(channel);
        break;
      case "ChannelSettled":
        this.markSettled(channel);
        break;
    }
  }

  /** Records an accepted (and stored) proof; a lower balance than the one known never replaces it. */
  recordProof(proof: ProofRecord): void {
    const key = channelKey(proof.sender, proof.openBlock);
    const known = this.#proofs.get(key);
    if (known && known.balance > proof.balance) return;
    const latest: LatestPayment = {
      balance: proof.balance,
      signature: proof.signature,
      request: proof.request,
      committedAt: proof.committedAt,
      delivered: false,
      secondDeliveryUsed: false,
    };
    this.#proofs.set(key, latest);
    const channel = this.#channels.get(key);
    if (channel) {
      if (!channel.settled) this.#balanceSum += proof.balance - channel.balance;
      channel.balance = proof.balance;
      channel.signature = proof.signature;
      channel.latest = latest;
    }
  }

  /** What the receiver has withdrawn from a channel (from the chain, or from its own withdraw transaction). */
  recordWithdrawn(channel: ChannelView, withdrawn: bigint): void {
    if (withdrawn <= channel.withdrawn) return;
    if (!channel.settled) this.#balanceSum -= withdrawn - channel.withdrawn;
    channel.withdrawn = withdrawn;
  }

  /** The channel was paid out on chain (settled, or closed cooperatively). */
  markSettled(channel: ChannelView): void {
    if (channel.settled) return;
    this.#leave(channel);
    channel.settled = true;
  }

  /** Marks a channel as closing (the operator closes it, or its sender gets a closing signature): no more payments. */
  markClosing(sender: Address, openBlock: bigint): void {
    const key = channelKey(sender, openBlock);
    this.#closing.add(key);
    const channel = this.#channels.get(key);
    if (channel) channel.closing = true;
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
    const key = channelKey(sender, openBlock);
    if (this.#signed.has(key)) return false;
    this.#closing.delete(key);
    const channel = this.#channels.get(key);
    if (channel) channel.closing = false;
    return true;
  }

  /**
   * Forgets what waits for confirmation at or below `block`: it counts fully from now on. Called as the head moves
   * on; the head only moves back after a `rebuild`, which starts the waiting list over.
   */
  confirmUpTo(block: bigint): void {
    let confirmed = 0;
    while (confirmed < this.#unconfirmed.length && (this.#unconfirmed[confirmed]?.block ?? 0n) <= block) confirmed++;
    if (confirmed > 0) this.#unconfirmed.splice(0, confirmed);
  }

  /**
   * The totals with only deposits and channels confirmed at `confirmedBlock` counted. Reading them forgets nothing:
   * after a reorg the book is rebuilt while the head is still the old one, and /stats read in that moment must not
   * make deposits count as confirmed that the new, shorter chain has not confirmed (only `confirmUpTo` forgets).
   */
  totals(confirmedBlock: bigint): BookTotals {
    let depositSum = this.#depositSum;
    let openChannels = this.#openCount;
    const pendingBySender = new Map<string, number>();
    for (const entry of this.#unconfirmed) {
      if (entry.block <= confirmedBlock) continue;
      const channel = this.#channels.get(entry.key);
      if (!channel || !this.#chainOpen(channel)) continue;
      depositSum -= entry.amount;
      if (entry.creates) {
        openChannels--;
        pendingBySender.set(entry.sender, (pendingBySender.get(entry.sender) ?? 0) + 1);
      }
    }
    let uniqueSenders = this.#openBySender.size;
    for (const [sender, pending] of pendingBySender) {
      if ((this.#openBySender.get(sender) ?? 0) <= pending) uniqueSenders--;
    }
    return {
      depositSum,
      openChannels,
      pendingChannels: this.#closingCount,
      balanceSum: this.#balanceSum,
      uniqueSenders,
    };
  }

  #chainOpen(channel: ChannelView): boolean {
    return !channel.settled && channel.closeRequest === undefined;
  }

  /** Adds a channel to the totals of its current state. */
  #enter(channel: ChannelView): void {
    if (channel.settled) return;
    this.#balanceSum += channel.balance - channel.withdrawn;
    if (channel.closeRequest) {
      this.#closingCount++;
      return;
    }
    this.#openCount++;
    for (const d of channel.deposits) this.#depositSum += d.amount;
    const sender = channel.sender.toLowerCase();
    this.#openBySender.set(sender, (this.#openBySender.get(sender) ?? 0) + 1);
  }

  /** Takes a channel out of the totals of its current state. */
  #leave(channel: ChannelView): void {
    if (channel.settled) return;
    this.#balanceSum -= channel.balance - channel.withdrawn;
    if (channel.closeRequest) {
      this.#closingCount--;
      return;
    }
    this.#openCount--;
    for (const d of channel.deposits) this.#depositSum -= d.amount;
    const sender = channel.sender.toLowerCase();
    const left = (this.#openBySender.get(sender) ?? 1) - 1;
    if (left === 0) this.#openBySender.delete(sender);
    else this.#openBySender.set(sender, left);
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
