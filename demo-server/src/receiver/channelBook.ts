import type { Address, Hex } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ChainEvent, ProofRecord } from "../store/records.ts";

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
  /** A closing signature was handed out: the sender is closing at `balance`, no more payments. */
  closingSignatureIssued: boolean;
};

export type ChannelStatus = "pending" | "open" | "closing" | "settled";

export function channelKey(sender: Address, openBlock: bigint): string {
  return `${sender.toLowerCase()}:${openBlock}`;
}

/** The channels of one receiver, rebuilt from chain events and stored proofs, kept in memory for the hot path. */
export class ChannelBook {
  readonly channels = new Map<string, ChannelView>();
  /**
   * Every accepted proof by channel key, also for channels the chain does not show (any more): a reorg may drop a
   * channel and re-include it with the same identity, and its accepted balance must come back with it.
   */
  readonly #proofs = new Map<string, { balance: bigint; signature: Hex }>();
  /** Channels whose closing signature was handed out (kept across rebuilds). */
  readonly #closing = new Set<string>();

  get(sender: Address, openBlock: bigint): ChannelView | undefined {
    return this.channels.get(channelKey(sender, openBlock));
  }

  /** Rebuilds every channel from the store: events, proofs and closing agreements (after a start or a reorg). */
  rebuild(store: Pick<ProofStore, "loadEvents" | "loadProofs" | "loadClosingAgreements">): void {
    this.channels.clear();
    for (const proof of store.loadProofs()) this.recordProof(proof);
    for (const agreement of store.loadClosingAgreements()) this.markClosing(agreement.sender, agreement.openBlock);
    for (const event of store.loadEvents()) this.apply(event);
  }

  /** Applies one event in chain order. */
  apply(event: ChainEvent): void {
    const key = channelKey(event.sender, event.openBlock);
    let channel = this.channels.get(key);
    if (event.name === "ChannelCreated") {
      const proof = this.#proofs.get(key);
      channel = {
        sender: event.sender,
        openBlock: event.openBlock,
        deposits: [{ block: event.blockNumber, amount: event.amounts.deposit ?? 0n }],
        signer: event.signer,
        withdrawn: 0n,
        closeRequest: undefined,
        settled: false,
        balance: proof?.balance ?? 0n,
        signature: proof?.signature,
        closingSignatureIssued: this.#closing.has(key),
      };
      this.channels.set(key, channel);
      return;
    }
    if (!channel) return;
    switch (event.name) {
      case "ChannelToppedUp":
        channel.deposits.push({ block: event.blockNumber, amount: event.amounts.added ?? 0n });
        break;
      case "ChannelWithdrawn":
        channel.withdrawn = event.amounts.withdrawn ?? channel.withdrawn;
        break;
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

  /** Records an accepted (and stored) proof; a lower balance than the one known never replaces it. */
  recordProof(proof: ProofRecord): void {
    const key = channelKey(proof.sender, proof.openBlock);
    const known = this.#proofs.get(key);
    if (known && known.balance > proof.balance) return;
    this.#proofs.set(key, { balance: proof.balance, signature: proof.signature });
    const channel = this.channels.get(key);
    if (channel) {
      channel.balance = proof.balance;
      channel.signature = proof.signature;
    }
  }

  /** Marks a channel as closing (a closing signature was given, or the operator closes it): no more payments. */
  markClosing(sender: Address, openBlock: bigint): boolean {
    const key = channelKey(sender, openBlock);
    const added = !this.#closing.has(key);
    this.#closing.add(key);
    const channel = this.channels.get(key);
    if (channel) channel.closingSignatureIssued = true;
    return added;
  }

  /** Takes back a mark that `markClosing` added, when closing failed. */
  clearClosing(sender: Address, openBlock: bigint): void {
    const key = channelKey(sender, openBlock);
    this.#closing.delete(key);
    const channel = this.channels.get(key);
    if (channel) channel.closingSignatureIssued = false;
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
