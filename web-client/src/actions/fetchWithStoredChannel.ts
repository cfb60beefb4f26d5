import type { Hex, UserRejectedRequestErrorType } from "viem";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { PaymentClient } from "../client/PaymentClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { BudgetExceededErrorType } from "../errors/BudgetExceededError.ts";
import { ChannelRequiredError, type ChannelRequiredErrorType } from "../errors/ChannelRequiredError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { FetchErrorType } from "../errors/FetchErrorType.ts";
import { InsufficientDepositError, type InsufficientDepositErrorType } from "../errors/InsufficientDepositError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import {
  PaymentOutcomeUnknownError,
  type PaymentOutcomeUnknownErrorType,
} from "../errors/PaymentOutcomeUnknownError.ts";
import type { PaymentRateExceededErrorType } from "../errors/PaymentRateExceededError.ts";
import { PaymentRefusedError, type PaymentRefusedErrorType } from "../errors/PaymentRefusedError.ts";
import { PriceExceedsPolicyError, type PriceExceedsPolicyErrorType } from "../errors/PriceExceedsPolicyError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import {
  balanceProofSignature,
  type ChannelEcho,
  decodePaymentRequired,
  echoesPayment,
  encodePaymentHeaders,
  hasErrorCode,
  type MalformedHeaderErrorType,
  type Payment,
  type PaymentRequirements,
  unpackDelegatedSignature,
  verifyBalanceProof,
  verifySignerDelegation,
} from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";
import { type PayChosenChannelParameters, type PayErrorType, pay, payChosenChannel } from "./pay.ts";
import { receiverLockName } from "./receiverLockName.ts";

export type FetchWithStoredChannelParameters = {
  /** What `fetch` takes first: a URL or a Request. */
  input: RequestInfo | URL;
  /** What `fetch` takes second. Its `signal` also stops retrying. */
  init?: RequestInit | undefined;
  /**
   * How many times a paid request that got no HTTP answer at all (connection refused or reset) is sent again with
   * the same payment before giving up (default 4: five attempts in all).
   */
  retryCount?: number | undefined;
  /** Wait before the first such retry, in ms, doubling each time (default 200). */
  retryDelay?: number | undefined;
  /**
   * How many times a paid request the receiver answered 503 `store_unavailable` (its database out of reach: nothing
   * is known to be charged) is sent again with the same payment, after its Retry-After (doubling each time), before
   * that 503 is returned (default 2). A Retry-After beyond 10 s is not waited for.
   */
  storeRetryCount?: number | undefined;
  /**
   * Returns a paid answer as soon as the receiver accepted the payment and hands the recording of the new balance
   * to this instead (a Service Worker passes its event's `waitUntil`); see `pay`'s `waitUntil`.
   */
  waitUntil?: ((recording: Promise<void>) => void) | undefined;
  /**
   * A price the reader approved for this request (they saw it and chose to pay): paid even beyond the spending
   * policy's `maxPrice` and the channel's automatic limits. Only a 402 asking exactly this much is paid that way.
   */
  approvedPrice?: bigint | undefined;
};
export type FetchWithStoredChannelReturnType = Response;
export type FetchWithStoredChannelErrorType =
  | MalformedHeaderErrorType
  | PriceExceedsPolicyErrorType
  | PaymentRateExceededErrorType
  | BudgetExceededErrorType
  | ChannelRequiredErrorType
  | InsufficientDepositErrorType
  | PaymentRefusedErrorType
  | PaymentOutcomeUnknownErrorType
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | UserRejectedRequestErrorType
  | PayErrorType
  | FetchErrorType
  | ErrorType;

/**
 * `fetch` that pays on HTTP 402 from the channels already in the client's storage, and never reaches the chain:
 * reads the receiver's requirements, checks them against the spending policy, signs a balance proof for the price on
 * a stored open channel to that receiver (its session key, or the wallet in wallet mode) under the receiver's lock,
 * and sends the request again with the payment; the balance is recorded once the receiver acknowledged it. A paid
 * request that gets no answer at all is sent again with the same payment (never a second one), and an invalid
 * amount is resynchronized from the receiver's echo (adopted only if the echoed proof is the client's own).
 * Whatever needs the chain — no channel that can pay (ChannelRequiredError, InsufficientDepositError), a channel the
 * receiver has not seen confirmed or does not know (PaymentRefusedError with the receiver's reason) — throws;
 * `fetchWithPayment` is this plus opening channels, waiting for confirmations and re-reading channels from the
 * chain. Works with any `PaymentClient`, such as one from `createPaymentClient`.
 *
 * @example
 * import { createPaymentClient, fetchWithStoredChannel, indexedDbStorage } from "@micro-raiden/web-client";
 * const client = createPaymentClient({ account, chainId: 31337, storage: indexedDbStorage() });
 * const response = await fetchWithStoredChannel(client, { input: "/articles/1" });
 */
export function fetchWithStoredChannel(
  client: PaymentClient,
  parameters: FetchWithStoredChannelParameters,
): Promise<FetchWithStoredChannelReturnType> {
  return payOnPaymentRequired(client, parameters, {});
}

/** What `fetchWithPayment` adds to the stored-channel payment: the ways back that go through the chain. */
export type ChainRecovery = {
  /** Opens a channel when none stored can pay; undefined when the caller allows none. */
  openChannel?: (
    requirements: PaymentRequirements,
    url: string,
    response: Response,
  ) => Promise<StoredChannel | undefined>;
  /** Waits until `blocks` more blocks are mined (the receiver's confirmations); rejects when it gives up. */
  waitForBlocks?: (blocks: bigint) => Promise<void>;
  /** Re-reads a channel the receiver refused from the chain, into storage. */
  refreshChannel?: (channel: StoredChannel) => Promise<unknown>;
};

/** Resynchronizations (from an echo, or from the chain) allowed per request before giving up. */
const maxResyncs = 2;

/** The payment loop of `fetchWithStoredChannel` and `fetchWithPayment`: one source for both. */
export async function payOnPaymentRequired(
  client: PaymentClient,
  parameters: FetchWithStoredChannelParameters,
  recovery: ChainRecovery,
): Promise<Response> {
  const request = new Request(parameters.input, parameters.init);
  let response = await client.fetch(request.clone());
  if (response.status !== 402) return response;

  let resyncs = 0;
  // Each 402 is decoded once: its requirements drive the next payment, its echo and failure the recovery.
  let decoded = decodePaymentRequired(response.headers);
  for (;;) {
    const { requirements } = decoded;
    const { maxPrice } = client.policy;
    const approved = parameters.approvedPrice === requirements.price;
    if (maxPrice !== undefined && requirements.price > maxPrice && !approved) {
      throw new PriceExceedsPolicyError({ price: requirements.price, maxPrice, url: request.url });
    }
    const sendPayment = async (payment: Payment) => {
      const answer = await sendPaid(client, request, payment, parameters);
      return { accepted: answer.ok && echoesPayment(answer.headers, payment), result: answer };
    };
    const payment = {
      amount: requirements.price,
      waitUntil: parameters.waitUntil,
      approvedPrice: parameters.approvedPrice,
      send: sendPayment,
    };
    // The stored channels are read once, under the receiver's lock, and the payment made on the one chosen there;
    // only when none can pay is a channel opened (outside the lock: it waits for the wallet and the chain).
    const paid = await payChosenChannel(client, { ...payment, ...storedChannelFor(client, requirements) });
    const channel = paid.channel ?? (await openFor(paid.channels, requirements, request.url, response, recovery));
    response = paid.channel ? paid.result : await pay(client, { ...payment, channel });
    if (response.status !== 402) return response;

    decoded = decodePaymentRequired(response.headers);
    const { echo, failure } = decoded;
    const refused = (cause?: unknown) =>
      new PaymentRefusedError({ status: response.status, url: request.url, ...(failure ? { failure } : {}), cause });
    if (!failure) throw refused();
    switch (failure.code) {
      case "insufficient_confirmations":
        if (!recovery.waitForBlocks) throw refused();
        await recovery.waitForBlocks(failure.value).catch((error: unknown) => {
          throw refused(error);
        });
        continue;
      case "invalid_amount":
        if (++resyncs > maxResyncs || !echo || !(await adoptEcho(client, channel, echo))) throw refused();
        continue;
      case "nonexisting_channel":
      case "invalid_balance_proof":
        // Our view of the channel is stale (closed, or a different deposit): refresh it from the chain and
        // choose again; a channel that is gone is not used a second time.
        if (++resyncs > maxResyncs || !recovery.refreshChannel) throw refused();
        await recovery.refreshChannel(channel);
        if (failure.code === "invalid_balance_proof") throw refused();
        continue;
    }
  }
}

/**
 * Which of the client's stored channels pays `requirements` (`payChosenChannel`'s `receiver` and `choose`): the
 * newest open one to the receiver, in its token, whose remaining deposit covers the price.
 */
export function storedChannelFor(
  client: PaymentClient,
  requirements: PaymentRequirements,
): Pick<PayChosenChannelParameters<unknown>, "receiver" | "choose"> {
  return {
    receiver: {
      chainId: requirements.chainId,
      contract: requirements.contract,
      sender: connectedAddress(client),
      receiver: requirements.receiver,
    },
    choose: (channels) => usableChannel(channels, requirements).usable,
  };
}

/** The sender's open channels to the receiver in its token, newest first, and the first that can cover the price. */
function usableChannel(
  channels: StoredChannel[],
  requirements: PaymentRequirements,
): { open: StoredChannel[]; usable: StoredChannel | undefined } {
  const open = channels
    .filter((c) => c.state === "open" && c.token.toLowerCase() === requirements.token.toLowerCase())
    .sort((a, b) => (a.openBlock < b.openBlock ? 1 : -1));
  return { open, usable: open.find((c) => c.deposit - c.balance >= requirements.price) };
}

/**
 * When no stored channel can pay: the one `recovery` opens, else InsufficientDepositError (an open channel ran dry: a
 * top-up only the caller can decide on) or ChannelRequiredError.
 */
async function openFor(
  channels: StoredChannel[],
  requirements: PaymentRequirements,
  url: string,
  response: Response,
  recovery: ChainRecovery,
): Promise<StoredChannel> {
  const opened = await recovery.openChannel?.(requirements, url, response);
  if (opened) return opened;
  const [newest] = usableChannel(channels, requirements).open;
  if (newest) throw new InsufficientDepositError({ channel: newest, price: requirements.price });
  throw new ChannelRequiredError({ requirements, url });
}

/** The longest Retry-After a paid request waits for; a receiver asking more gets its 503 returned at once. */
const maxStoreRetryAfterMs = 10_000;

/**
 * Sends the paid request, and sends exactly the same one again (same proof, same balance) when no HTTP answer came
 * back, or when the receiver answered 503 `store_unavailable`: the receiver may have committed the payment before the
 * connection (or its database) went away, and serves an exact repeat of a channel's latest proof once, without
 * charging again; if it had not, the repeat is the one charge (see the protocol README). Runs under the receiver's
 * lock, so no other payment can come between. An abort by the caller is not retried.
 */
async function sendPaid(
  client: PaymentClient,
  request: Request,
  payment: Payment,
  parameters: FetchWithStoredChannelParameters,
): Promise<Response> {
  const retryCount = parameters.retryCount ?? 4;
  const retryDelay = parameters.retryDelay ?? 200;
  const storeRetryCount = parameters.storeRetryCount ?? 2;
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(encodePaymentHeaders(payment))) headers.set(name, value);
  let storeRetries = 0;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await client.fetch(new Request(request.clone(), { headers }));
    } catch (error) {
      // Fetch rejects with a TypeError when there is no response at all; anything else is not a network failure.
      if (request.signal.aborted || !(error instanceof TypeError)) throw error;
      if (attempt >= retryCount) {
        throw new PaymentOutcomeUnknownError({ url: request.url, payment, attempts: attempt + 1, cause: error });
      }
      await sleep(retryDelay * 2 ** attempt, request.signal);
      continue;
    }
    if (storeRetries >= storeRetryCount) return response;
    const wait = await storeRetryWait(response);
    if (wait === undefined || wait * 2 ** storeRetries > maxStoreRetryAfterMs) return response;
    await response.body?.cancel();
    await sleep(wait * 2 ** storeRetries, request.signal);
    storeRetries++;
  }
}

/**
 * How long to wait before sending a payment again that the receiver answered 503 `store_unavailable`, in ms (its
 * Retry-After, else 1 s); undefined for any other answer.
 */
async function storeRetryWait(response: Response): Promise<number | undefined> {
  if (response.status !== 503) return undefined;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (!hasErrorCode(body, "store_unavailable")) return undefined;
  const seconds = Number(response.headers.get("retry-after") ?? "1");
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Takes the receiver's echoed balance as the channel's, but only when the echoed proof was signed by this client
 * for exactly this channel (so a receiver cannot inflate what the client thinks it paid), or when the receiver
 * has no proof at all (balance zero: the receiver can only lose by it).
 */
async function adoptEcho(client: PaymentClient, channel: StoredChannel, echo: ChannelEcho): Promise<boolean> {
  if (echo.sender.toLowerCase() !== channel.sender.toLowerCase()) return false;
  if (!echo.signature) {
    if (echo.balance !== 0n) return false;
  } else {
    const ours = await signedByChannel(channel, echo.balance, echo.signature);
    if (!ours || echo.balance > channel.deposit) return false;
  }
  return client.lock(receiverLockName(channel), async () => {
    const latest = (await client.storage.get(channel)) ?? channel;
    // A parallel request recorded a newer accepted balance meanwhile: that one is fresher than this echo.
    if (latest.balance === channel.balance) {
      await client.storage.put({
        ...latest,
        balance: echo.balance,
        balanceSignature: echo.signature && balanceProofSignature(echo.signature),
      });
    }
    return true;
  });
}

/**
 * Whether `signature` is a balance proof for `channel` at `balance` that its sender authorized: signed by the
 * sender or the key registered at open, or (150 bytes) by a key the sender delegated off-chain to this very channel
 * — on this origin or another: the sender's own delegation travels with the proof.
 */
async function signedByChannel(channel: StoredChannel, balance: bigint, signature: Hex): Promise<boolean> {
  const domain = channelDomain(channel);
  const message = channelMessage(channel, balance);
  const delegated = unpackDelegatedSignature(signature);
  if (!delegated) return verifyBalanceProof({ domain, message, signature, delegatedSigner: channel.delegatedSigner });
  const { proof, signer, delegation } = delegated;
  return (
    (await verifySignerDelegation({
      domain,
      message: { sender: channel.sender, receiver: channel.receiver, openBlock: channel.openBlock, signer },
      signature: delegation,
    })) && (await verifyBalanceProof({ domain, message, signature: proof, delegatedSigner: signer }))
  );
}
