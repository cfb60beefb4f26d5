import type { Hex, UserRejectedRequestErrorType } from "viem";
import { assertChannelSender } from "../client/assertChannelSender.ts";
import type { PaymentClient } from "../client/PaymentClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import { BudgetExceededError, type BudgetExceededErrorType } from "../errors/BudgetExceededError.ts";
import { ChannelNotOpenError, type ChannelNotOpenErrorType } from "../errors/ChannelNotOpenError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { InsufficientDepositError, type InsufficientDepositErrorType } from "../errors/InsufficientDepositError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { PaymentRateExceededError, type PaymentRateExceededErrorType } from "../errors/PaymentRateExceededError.ts";
import { PriceExceedsPolicyError, type PriceExceedsPolicyErrorType } from "../errors/PriceExceedsPolicyError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import type { Payment } from "../protocol/index.ts";
import { type ChannelKey, channelStorageKey, type StoredChannel } from "../storage/ChannelStorage.ts";
import { autoPayRefusal, channelAutoPay, recentAutoPayments } from "./autoPay.ts";
import { receiverLockName } from "./receiverLockName.ts";
import { type SignBalanceProofErrorType, signBalanceProof } from "./signBalanceProof.ts";

/** What the transport reports after presenting a payment. */
export type PaymentOutcome<T> = { accepted: boolean; result: T };

export type PayParameters<T> = {
  channel: ChannelKey;
  /** The price of this request, added to the channel's balance. */
  amount: bigint;
  /**
   * Presents the payment to the receiver (an HTTP request, usually) and says whether it was accepted. Runs under the
   * receiver's lock: retrying the same payment here is safe, signing another is not.
   */
  send: (payment: Payment, channel: StoredChannel) => Promise<PaymentOutcome<T>>;
  /**
   * Lets an accepted payment's result out before its balance is on disk: `pay` resolves as soon as the receiver
   * accepted, keeps holding the lock until the new balance is recorded, and hands that recording to `waitUntil` (a
   * Service Worker passes its event's `waitUntil`). The proof went out before the record in either order, so a crash
   * loses nothing more (the receiver's echo resynchronizes the balance), and the next payment still reads the new
   * balance: it waits for the lock. Without it, `pay` resolves once the balance is recorded.
   */
  waitUntil?: ((recording: Promise<void>) => void) | undefined;
  /**
   * The price the reader approved for this one payment, beyond what the channel pays without asking
   * (`StoredChannel.autoPay`): taken only when it is exactly `amount`.
   */
  approvedPrice?: bigint | undefined;
};
export type PayReturnType<T> = T;
/** What `send` throws passes through as it is. */
export type PayErrorType =
  | ChannelNotOpenErrorType
  | PriceExceedsPolicyErrorType
  | PaymentRateExceededErrorType
  | InsufficientDepositErrorType
  | BudgetExceededErrorType
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | UserRejectedRequestErrorType
  | SignBalanceProofErrorType
  | ErrorType;

/**
 * Pays `amount` on a channel: signs the new cumulative balance, hands it to `send`, and records it as the
 * channel's balance only if the receiver accepted it (a refused payment changes nothing, unlike µRaiden's #170).
 * Holds the lock for the sender and receiver from reading the balance to recording the answer, so two tabs or
 * two parallel requests never sign conflicting balances and each request is paid once.
 *
 * A channel's session key pays without a prompt only within what the reader allowed when opening it
 * (`StoredChannel.autoPay`): at most `maxPrice` a payment and `perMinute` payments a minute. Beyond that nothing is
 * signed (PriceExceedsPolicyError, PaymentRateExceededError) unless the reader approved this price (`approvedPrice`).
 * A channel opened before channels carried that limit pays under the client's policy (`channelAutoPay`).
 * Wallet signing asks the reader every time, so it has no such limit.
 *
 * @example
 * import { pay } from "@micro-raiden/web-client";
 * import { encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
 * const response = await pay(client, {
 *   channel,
 *   amount: 1000n,
 *   send: async (payment) => {
 *     const response = await fetch(url, { headers: encodePaymentHeaders(payment) });
 *     return { accepted: response.ok, result: response };
 *   },
 * });
 */
export async function pay<T>(client: PaymentClient, parameters: PayParameters<T>): Promise<PayReturnType<T>> {
  const key = channelStorageKey(parameters.channel);
  const stored = (channels: StoredChannel[]) => channels.find((channel) => channelStorageKey(channel) === key);
  const paid = await payChosenChannel(client, {
    ...parameters,
    receiver: parameters.channel,
    choose: (channels) => {
      const channel = stored(channels);
      return channel?.state === "open" ? channel : undefined;
    },
  });
  if (!paid.channel)
    throw new ChannelNotOpenError({ channel: parameters.channel, state: stored(paid.channels)?.state });
  return paid.result;
}

/** `pay`'s parameters with the channel left to choose (`payChosenChannel`). */
export type PayChosenChannelParameters<T> = Omit<PayParameters<T>, "channel"> & {
  /** The sender's channels to this receiver are read (once, under the lock) and given to `choose`. */
  receiver: Omit<ChannelKey, "openBlock">;
  /**
   * Picks the open channel to pay on among the sender's channels to the receiver as stored now; undefined when none
   * can pay (nothing is signed then). May throw.
   */
  choose: (channels: StoredChannel[]) => StoredChannel | undefined;
};

/**
 * `pay` on the channel `choose` picks, from a single read of the sender's channels to the receiver under the lock:
 * choosing before taking the lock would read them twice (a Service Worker's IndexedDB read is milliseconds on a
 * navigation the reader waits for). Resolves with the paid channel and `send`'s result, or with the channels read
 * when `choose` found none to pay on.
 */
export async function payChosenChannel<T>(
  client: PaymentClient,
  parameters: PayChosenChannelParameters<T>,
): Promise<{ channel: StoredChannel; result: T } | { channel: undefined; channels: StoredChannel[] }> {
  const { amount, send, waitUntil } = parameters;
  const filter = {
    chainId: parameters.receiver.chainId,
    contract: parameters.receiver.contract,
    sender: parameters.receiver.sender,
    receiver: parameters.receiver.receiver,
  };
  let answer: (paid: { channel: StoredChannel; result: T }) => void = () => {};
  const answered = waitUntil && new Promise<{ channel: StoredChannel; result: T }>((resolve) => (answer = resolve));
  const paid = client.lock(receiverLockName(filter), async () => {
    const toReceiver = await client.storage.list(filter);
    let channel = parameters.choose(toReceiver);
    if (!channel) return { channel: undefined, channels: toReceiver };
    if (channel.state !== "open") throw new ChannelNotOpenError({ channel, state: channel.state });
    if (channel.deposit - channel.balance < amount) throw new InsufficientDepositError({ channel, price: amount });
    const now = Date.now();
    const automatic = client.signing === "session" && channel.sessionKey !== undefined;
    const limit = automatic ? channelAutoPay(channel, client.policy) : undefined;
    const approved = parameters.approvedPrice === amount;
    if (limit && !approved) {
      const refusal = autoPayRefusal(channel, amount, now, client.policy);
      if (refusal === "price") throw new PriceExceedsPolicyError({ price: amount, maxPrice: limit.maxPrice });
      if (refusal === "rate") throw new PaymentRateExceededError({ perMinute: limit.perMinute });
    }
    // A channel opened before channels carried their limit: the price the reader approves now becomes its own (or
    // the site's declared one), like a choice made when opening. Recorded before anything is sent: it is the
    // reader's decision whatever the receiver answers.
    if (limit && approved && !channel.autoPay) {
      channel = { ...channel, autoPay: { ...limit, maxPrice: limit.maxPrice > 0n ? limit.maxPrice : amount } };
      await client.storage.put(channel);
    }

    const budget = client.policy.budgetPerReceiver;
    if (budget !== undefined) {
      const spent = toReceiver.reduce((sum, c) => sum + c.balance, 0n);
      if (spent + amount > budget) {
        throw new BudgetExceededError({ receiver: filter.receiver, budget, spent, price: amount });
      }
    }

    const balance = channel.balance + amount;
    const signature =
      (await takeSignedAhead(client, channel, balance)) ?? (await signBalanceProof(client, { channel, balance }));
    const payment: Payment = {
      contract: channel.contract,
      receiver: channel.receiver,
      sender: channel.sender,
      openBlock: channel.openBlock,
      balance,
      signature,
      // A key this origin had delegated off-chain: the receiver needs the sender's delegation beside its proof.
      ...(automatic && channel.signerDelegation ? { delegation: channel.signerDelegation } : {}),
    };
    const outcome = await send(payment, channel);
    const done = { channel, result: outcome.result };
    if (outcome.accepted) {
      const recording = client.storage.put({
        ...channel,
        balance,
        balanceSignature: signature,
        ...(limit ? { autoPaidAt: [...recentAutoPayments(channel, now), now] } : {}),
      });
      if (waitUntil) {
        waitUntil(recording);
        answer(done);
      }
      await recording;
      if (channel.deposit - balance >= amount) signAhead(client, { ...channel, balance }, balance + amount);
    }
    return done;
  });
  // A failed recording after the answer went out rejects `paid` too: the race has settled by then.
  return answered ? Promise.race([answered, paid]) : paid;
}

/**
 * Session-key proofs signed ahead, by channel: once a payment is recorded, the same price once more is signed in the
 * background, so the next payment at that price finds its signature ready instead of hashing and signing while the
 * reader waits (milliseconds in a Service Worker). RFC 6979 signatures are deterministic: one made ahead is the very
 * one `pay` would make now. It is taken only for exactly the channel, balance and session key it was made for, after
 * every check and under the lock; until then it stays in memory, and a proof nobody received moves nothing.
 */
const signedAhead = new Map<string, SignedAhead>();
type SignedAhead = {
  balance: bigint;
  sessionKey: Hex;
  /** Undefined until the delay is over. */
  signature?: Promise<Hex | undefined>;
  timer: ReturnType<typeof setTimeout>;
};

/** How long after a payment the next proof is signed: first the page that payment answered gets the processor. */
const signAheadDelayMs = 50;

function signAhead(client: PaymentClient, channel: StoredChannel, balance: bigint): void {
  // Only where signing prompts nobody: the wallet is asked once per payment, when it is made.
  if (client.signing !== "session" || !channel.sessionKey) return;
  const key = channelStorageKey(channel);
  const previous = signedAhead.get(key);
  if (previous) clearTimeout(previous.timer);
  const ahead: SignedAhead = {
    balance,
    sessionKey: channel.sessionKey,
    timer: setTimeout(() => {
      ahead.signature = signBalanceProof(client, { channel, balance }).catch(() => undefined);
    }, signAheadDelayMs),
  };
  // In Node, a process whose work is done does not stay for a proof it may never need.
  (ahead.timer as { unref?: () => void }).unref?.();
  signedAhead.set(key, ahead);
}

function takeSignedAhead(client: PaymentClient, channel: StoredChannel, balance: bigint): Promise<Hex | undefined> {
  const key = channelStorageKey(channel);
  const ahead = signedAhead.get(key);
  if (!ahead) return Promise.resolve(undefined);
  signedAhead.delete(key);
  clearTimeout(ahead.timer);
  if (client.signing !== "session" || ahead.balance !== balance || ahead.sessionKey !== channel.sessionKey) {
    return Promise.resolve(undefined);
  }
  // What signing with the session key checks first.
  assertChannelSender(client, channel);
  return ahead.signature ?? Promise.resolve(undefined);
}
