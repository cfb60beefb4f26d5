import type { Address, Hex } from "viem";
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

  get(sender: Address, openBlock: bigint): ChannelView | undefined {
    return this.channels.get(channelKey(sender, openBlock));
  }

  /** Rebuilds every channel's chain-derived state from events, keeping accepted payments. */
  rebuild(events: readonly ChainEvent[], proofs: readonly ProofRecord[]): void {
    const previous = new Map(this.channels);
    this.channels.clear();
    for (const event of events) this.apply(event);
    for (const proof of proofs) this.recordProof(proof);
    // Accepted payments on channels a reorg removed are kept in the store; a later re-inclusion brings them back.
    for (const [key, old] of previous) {
      const current = this.channels.get(key);
      if (current && old.balance > current.balance) {
        current.balance = old.balance;
        current.signature = old.signature;
      }
      if (current && old.closingSignatureIssued) current.closingSignatureIssued = true;
    }
  }

  /** Applies one event in chain order. */
  apply(event: ChainEvent): void {
    const key = channelKey(event.sender, event.openBlock);
    let channel = this.channels.get(key);
    if (event.name === "ChannelCreated") {
      channel = {
        sender: event.sender,
        openBlock: event.openBlock,
        deposits: [{ block: event.blockNumber, amount: event.amounts.deposit ?? 0n }],
        signer: event.signer,
        withdrawn: 0n,
        closeRequest: undefined,
        settled: false,
        balance: channel?.balance ?? 0n,
        signature: channel?.signature,
        closingSignatureIssued: channel?.closingSignatureIssued ?? false,
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

  recordProof(proof: ProofRecord): void {
    const channel = this.get(proof.sender, proof.openBlock);
    if (channel && proof.balance >= channel.balance) {
      channel.balance = proof.balance;
      channel.signature = proof.signature;
    }
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
