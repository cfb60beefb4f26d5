import type { Address, Hex } from "viem";
import { keyAddress } from "../protocol/secp256k1.ts";
import type { ChannelKey, ChannelStorage, StoredChannel } from "../storage/ChannelStorage.ts";

// A new channel's session key exists before its channel does: it is registered by the opening transaction, and the
// channel's key (its open block) is known only from that transaction's receipt. Kept only in memory until then, the
// key would die with the page if the reader closed it while the deposit was on its way, and every later payment
// would ask the wallet. So the key is stored before the transaction is sent, in the channel storage every tab and
// the payment worker share, as a record at open block 0: no channel can be opened in the genesis block, so the
// record names no channel. It is `closed` with nothing deposited, so nothing pays from it or shows it as a channel.
// When the channel is read from the chain and its delegated signer is this key's address, the key is adopted.

/** Where the key of a channel being opened from `sender` to `receiver` is kept until the channel is known. */
export function pendingKeyRecord(
  channel: Pick<StoredChannel, "chainId" | "contract" | "token" | "sender" | "receiver">,
  sessionKey: Hex,
): StoredChannel {
  return {
    ...channel,
    openBlock: 0n,
    deposit: 0n,
    balance: 0n,
    balanceSignature: undefined,
    delegatedSigner: keyAddress(sessionKey),
    sessionKey,
    state: "closed",
    settleBlock: undefined,
  };
}

/** The pending key record's storage key for a channel of `sender` to `receiver`. */
export function pendingKeyOf(channel: Omit<ChannelKey, "openBlock">): ChannelKey {
  return { ...channel, openBlock: 0n };
}

/**
 * The session key kept for a channel being opened, when it is the key `delegatedSigner` names (the channel on chain
 * registered it); undefined otherwise. Call it under the receiver's lock, and delete the record once adopted.
 */
export async function pendingSessionKey(
  storage: ChannelStorage,
  channel: Omit<ChannelKey, "openBlock">,
  delegatedSigner: Address | undefined,
): Promise<Hex | undefined> {
  if (!delegatedSigner) return undefined;
  const pending = await storage.get(pendingKeyOf(channel));
  const key = pending?.sessionKey;
  return key && keyAddress(key).toLowerCase() === delegatedSigner.toLowerCase() ? key : undefined;
}
