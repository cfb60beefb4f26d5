import type { Address, Hex } from "viem";

/** Where a channel stands, as far as this client knows. */
export type ChannelState = "open" | "closing" | "closed";

/** A channel as the client keeps it: identity, deposit, and the last balance the receiver accepted. */
export type StoredChannel = {
  chainId: number;
  contract: Address;
  token: Address;
  sender: Address;
  receiver: Address;
  openBlock: bigint;
  deposit: bigint;
  /** The last balance the receiver accepted: a new balance becomes this only after a paid response. */
  balance: bigint;
  /** The proof for `balance`, or undefined while nothing has been paid. */
  balanceSignature: Hex | undefined;
  /** The channel's delegated signer, when it was opened with a session key. */
  delegatedSigner: Address | undefined;
  /** The session key's private key, kept so this client can sign without a wallet prompt. */
  sessionKey: Hex | undefined;
  /**
   * The sender's `SignerDelegation` of this channel to `sessionKey`, when that key was delegated off-chain by this
   * origin (`delegateSigner`) rather than registered when the channel was opened (elsewhere, so `delegatedSigner` is
   * another key). Sent with every payment the key signs.
   */
  signerDelegation?: Hex | undefined;
  state: ChannelState;
  /** After an uncooperative close: the last block of the challenge period. */
  settleBlock: bigint | undefined;
  /**
   * What the reader allowed this channel to pay without a prompt (with its session key), chosen when it was opened.
   * A payment beyond it is made only when the reader approves that price (`pay`'s `approvedPrice`). Undefined: no
   * limit of the channel's own (machine clients; the client's `SpendingPolicy` still applies).
   */
  autoPay?: AutoPayLimit | undefined;
  /** When the automatic payments of the last minute were made (ms since the epoch), for `autoPay.perMinute`. */
  autoPaidAt?: readonly number[] | undefined;
};

/** The limits of a channel's automatic payments (`StoredChannel.autoPay`). */
export type AutoPayLimit = {
  /** The most one automatic payment may cost, in token base units. */
  maxPrice: bigint;
  /** The most automatic payments in any 60 seconds. */
  perMinute: number;
};

/** What identifies a stored channel. */
export type ChannelKey = Pick<StoredChannel, "chainId" | "contract" | "sender" | "receiver" | "openBlock">;

/** Which stored channels to list: every field given must match. */
export type ChannelFilter = Pick<StoredChannel, "chainId" | "contract" | "sender"> & { receiver?: Address };

/**
 * Persistence for channels. Implementations: `memoryStorage` (tests, short-lived scripts), `fileStorage` (Node),
 * `indexedDbStorage` (browsers, with a localStorage fallback). Writes must be durable when the promise resolves.
 */
export interface ChannelStorage {
  get(key: ChannelKey): Promise<StoredChannel | undefined>;
  list(filter: ChannelFilter): Promise<StoredChannel[]>;
  put(channel: StoredChannel): Promise<void>;
  delete(key: ChannelKey): Promise<void>;
}

/** The string under which a channel is stored: chain, contract, sender, receiver and open block. */
export function channelStorageKey(key: ChannelKey): string {
  return [key.chainId, key.contract, key.sender, key.receiver, key.openBlock].join(":").toLowerCase();
}

export function matchesFilter(channel: StoredChannel, filter: ChannelFilter): boolean {
  return (
    channel.chainId === filter.chainId &&
    channel.contract.toLowerCase() === filter.contract.toLowerCase() &&
    channel.sender.toLowerCase() === filter.sender.toLowerCase() &&
    (filter.receiver === undefined || channel.receiver.toLowerCase() === filter.receiver.toLowerCase())
  );
}
