import type { UserRejectedRequestErrorType } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { BudgetExceededErrorType } from "../errors/BudgetExceededError.ts";
import { ChannelRequiredError, type ChannelRequiredErrorType } from "../errors/ChannelRequiredError.ts";
import { ConfirmationTimeoutError } from "../errors/ConfirmationTimeoutError.ts";
import { InsufficientDepositError, type InsufficientDepositErrorType } from "../errors/InsufficientDepositError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import {
  PaymentOutcomeUnknownError,
  type PaymentOutcomeUnknownErrorType,
} from "../errors/PaymentOutcomeUnknownError.ts";
import { PaymentRefusedError, type PaymentRefusedErrorType } from "../errors/PaymentRefusedError.ts";
import { PriceExceedsPolicyError, type PriceExceedsPolicyErrorType } from "../errors/PriceExceedsPolicyError.ts";
import { ReceiverApiError } from "../errors/ReceiverApiError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import {
  type ChannelEcho,
  decodePaymentResponseHeaders,
  decodeSponsorOfferHeader,
  encodePaymentHeaders,
  type MalformedHeaderErrorType,
  type Payment,
  type PaymentRequirements,
  type SponsorOffer,
  verifyBalanceProof,
} from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";
import { detectDepositMethod } from "./detectDepositMethod.ts";
import { getChannels } from "./getChannels.ts";
import { type OpenChannelErrorType, openChannel } from "./openChannel.ts";
import { pay } from "./pay.ts";
import { receiverLockName } from "./receiverLockName.ts";
import { refreshChannel } from "./refreshChannel.ts";

export type FetchWithPaymentParameters = {
  /** What `fetch` takes first: a URL or a Request. */
  input: RequestInfo | URL;
  /** What `fetch` takes second. Its `signal` also stops waiting and retrying. */
  init?: RequestInit | undefined;
  /**
   * Allows opening a channel when none can pay: returns the deposit to open it with (token base units), or
   * undefined to refuse. Without it a missing channel throws ChannelRequiredError.
   */
  deposit?: ((requirements: PaymentRequirements) => bigint | undefined) | undefined;
  /** How long to wait in total for a new channel's confirmations, in ms (default 60 000). */
  confirmationTimeout?: number | undefined;
  /** How often to look at the chain while waiting, in ms (default 1000). */
  pollInterval?: number | undefined;
  /**
   * How many times a paid request that got no HTTP answer at all (connection refused or reset) is sent again with
   * the same payment before giving up (default 4: five attempts in all).
   */
  retryCount?: number | undefined;
  /** Wait before the first such retry, in ms, doubling each time (default 200). */
  retryDelay?: number | undefined;
};
export type FetchWithPaymentReturnType = Response;
export type FetchWithPaymentErrorType =
  | MalformedHeaderErrorType
  | PriceExceedsPolicyErrorType
  | BudgetExceededErrorType
  | ChannelRequiredErrorType
  | InsufficientDepositErrorType
  | PaymentRefusedErrorType
  | PaymentOutcomeUnknownErrorType
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | WrongChainErrorType
  | OpenChannelErrorType
  | UserRejectedRequestErrorType;

/** Resynchronizations (from an echo, or from the chain) allowed per request before giving up. */
const maxResyncs = 2;

/**
 * `fetch` that pays on HTTP 402: reads the receiver's requirements, checks them against the spending policy, signs
 * a balance proof for the price on a channel to that receiver, and sends the request again with the payment.
 * A paid request that gets no answer at all is sent again with the same payment (never a second one) a bounded
 * number of times. Waits (bounded) when the channel is not confirmed yet, resynchronizes from the receiver's echo on
 * an invalid amount (adopting it only if the echoed proof is the client's own), and throws a typed error instead of
 * paying when the price, the budget or the deposit does not allow it. Non-402 responses are returned untouched.
 * When a channel must be opened and the 402 offers a sponsored open (RDN-Sponsored-Open) that the deposit and the
 * token (EIP-2612) allow, the receiver opens it and pays the gas; when the receiver refuses, the client opens it
 * itself.
 *
 * @example
 * import { fetchWithPayment } from "@micro-raiden/web-client";
 * const response = await fetchWithPayment(client, {
 *   input: "http://localhost:3000/articles/1",
 *   deposit: (requirements) => requirements.price * 100n,
 * });
 */
export async function fetchWithPayment(
  client: ChannelClient,
  parameters: FetchWithPaymentParameters,
): Promise<FetchWithPaymentReturnType> {
  const request = new Request(parameters.input, parameters.init);
  let response = await client.fetch(request.clone());
  if (response.status !== 402) return response;

  const deadline = Date.now() + (parameters.confirmationTimeout ?? 60_000);
  let resyncs = 0;
  // Each 402 is decoded once: its requirements drive the next payment, its echo and failure the recovery.
  let decoded = decodePaymentResponseHeaders(response.headers);
  for (;;) {
    const { requirements } = decoded;
    const { maxPrice } = client.policy;
    if (maxPrice !== undefined && requirements.price > maxPrice) {
      throw new PriceExceedsPolicyError({ price: requirements.price, maxPrice, url: request.url });
    }
    const channel = await channelFor(client, requirements, request.url, parameters, sponsorOffer(response));

    response = await pay(client, {
      channel,
      amount: requirements.price,
      send: async (payment) => {
        const answer = await sendPaid(client, request, payment, parameters);
        return { accepted: answer.ok && acknowledges(answer, payment), result: answer };
      },
    });
    if (response.status !== 402) return response;

    decoded = decodePaymentResponseHeaders(response.headers);
    const { echo, failure } = decoded;
    const refused = (cause?: unknown) =>
      new PaymentRefusedError({ status: response.status, url: request.url, ...(failure ? { failure } : {}), cause });
    if (!failure) throw refused();
    switch (failure.code) {
      case "insufficient_confirmations":
        await waitForBlocks(client, failure.value, deadline, parameters).catch((error: unknown) => {
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
        if (++resyncs > maxResyncs) throw refused();
        await refreshChannel(client, channel);
        if (failure.code === "invalid_balance_proof") throw refused();
        continue;
    }
  }
}

/**
 * Sends the paid request, and sends exactly the same one again (same proof, same balance) when no HTTP answer came
 * back: the receiver may have committed the payment before the connection died, and serves an exact repeat of a
 * channel's latest proof once, without charging again (see the protocol README). Runs under the receiver's lock,
 * so no other payment can come between. An abort by the caller is not retried.
 */
async function sendPaid(
  client: ChannelClient,
  request: Request,
  payment: Payment,
  parameters: FetchWithPaymentParameters,
): Promise<Response> {
  const retryCount = parameters.retryCount ?? 4;
  const retryDelay = parameters.retryDelay ?? 200;
  const headers = new Headers(request.headers);
  for (const [name, value] of Object.entries(encodePaymentHeaders(payment))) headers.set(name, value);
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.fetch(new Request(request.clone(), { headers }));
    } catch (error) {
      // Fetch rejects with a TypeError when there is no response at all; anything else is not a network failure.
      if (request.signal.aborted || !(error instanceof TypeError)) throw error;
      if (attempt >= retryCount) {
        throw new PaymentOutcomeUnknownError({ url: request.url, payment, attempts: attempt + 1, cause: error });
      }
      await sleep(retryDelay * 2 ** attempt, request.signal);
    }
  }
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
 * Whether a 2xx really took this payment: the paywall's answer echoes the new balance for this sender. A 2xx from
 * anything else (a cache, a resource that became free, a redirect elsewhere) must not raise the recorded balance.
 */
function acknowledges(response: Response, payment: Payment): boolean {
  try {
    const { echo } = decodePaymentResponseHeaders(response.headers);
    return echo?.sender === payment.sender && echo.balance === payment.balance;
  } catch {
    return false;
  }
}

/** The newest open channel to the receiver that can cover the price; opens one if the parameters allow. */
async function channelFor(
  client: ChannelClient,
  requirements: PaymentRequirements,
  url: string,
  parameters: FetchWithPaymentParameters,
  offer: SponsorOffer | undefined,
): Promise<StoredChannel> {
  const channels = await getChannels(client, {
    chainId: requirements.chainId,
    contract: requirements.contract,
    receiver: requirements.receiver,
  });
  const open = channels
    .filter((c) => c.state === "open" && c.token.toLowerCase() === requirements.token.toLowerCase())
    .sort((a, b) => (a.openBlock < b.openBlock ? 1 : -1));
  const usable = open.find((c) => c.deposit - c.balance >= requirements.price);
  if (usable) return usable;
  const deposit = parameters.deposit?.(requirements);
  if (deposit === undefined) {
    // An open channel that ran dry calls for a top-up, which only the caller can decide on.
    if (open[0]) throw new InsufficientDepositError({ channel: open[0], price: requirements.price });
    throw new ChannelRequiredError({ requirements, url });
  }
  const manager = {
    chainId: requirements.chainId,
    contract: requirements.contract,
    token: requirements.token,
    receiver: requirements.receiver,
    deposit,
  };
  const method = await detectDepositMethod(client, { token: requirements.token });
  if (offer && deposit >= offer.minDeposit && method === "permit") {
    try {
      return await openChannel(client, { ...manager, method: "sponsored", sponsorUrl: new URL(offer.path, url).href });
    } catch (error) {
      // The receiver said no with a protocol code (a limit, its minimum, no funds for gas): nothing was sent, pay the
      // gas instead. Anything else — the reader refused to sign, no answer, an answer without a code — may hide an
      // open the receiver did send, and a second channel would lock a second deposit.
      if (!(error instanceof ReceiverApiError && error.code !== undefined)) throw error;
    }
  }
  return openChannel(client, { ...manager, method });
}

/** The 402's sponsored-open offer; a malformed one is no offer (the client can always pay the gas itself). */
function sponsorOffer(response: Response): SponsorOffer | undefined {
  try {
    return decodeSponsorOfferHeader(response.headers);
  } catch {
    return undefined;
  }
}

/**
 * Takes the receiver's echoed balance as the channel's, but only when the echoed proof was signed by this client
 * for exactly this channel (so a receiver cannot inflate what the client thinks it paid), or when the receiver
 * has no proof at all (balance zero: the receiver can only lose by it).
 */
async function adoptEcho(client: ChannelClient, channel: StoredChannel, echo: ChannelEcho): Promise<boolean> {
  if (echo.sender.toLowerCase() !== channel.sender.toLowerCase()) return false;
  if (!echo.signature) {
    if (echo.balance !== 0n) return false;
  } else {
    const ours = await verifyBalanceProof({
      domain: channelDomain(channel),
      message: channelMessage(channel, echo.balance),
      signature: echo.signature,
      delegatedSigner: channel.delegatedSigner,
    });
    if (!ours || echo.balance > channel.deposit) return false;
  }
  return client.lock(receiverLockName(channel), async () => {
    const latest = (await client.storage.get(channel)) ?? channel;
    // A parallel request recorded a newer accepted balance meanwhile: that one is fresher than this echo.
    if (latest.balance === channel.balance) {
      await client.storage.put({ ...latest, balance: echo.balance, balanceSignature: echo.signature });
    }
    return true;
  });
}

async function waitForBlocks(
  client: ChannelClient,
  blocks: bigint,
  deadline: number,
  parameters: FetchWithPaymentParameters,
): Promise<void> {
  const pollInterval = parameters.pollInterval ?? 1000;
  const wanted = blocks > 0n ? blocks : 1n;
  const target = (await client.publicClient.getBlockNumber({ cacheTime: 0 })) + wanted;
  while ((await client.publicClient.getBlockNumber({ cacheTime: 0 })) < target) {
    if (Date.now() + pollInterval > deadline) {
      throw new ConfirmationTimeoutError({ blocks: wanted, timeout: parameters.confirmationTimeout ?? 60_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, pollInterval));
  }
}
