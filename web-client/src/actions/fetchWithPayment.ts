import type { UserRejectedRequestErrorType } from "viem";
import { getBlockNumber } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { BudgetExceededErrorType } from "../errors/BudgetExceededError.ts";
import type { ChannelRequiredErrorType } from "../errors/ChannelRequiredError.ts";
import { ConfirmationTimeoutError } from "../errors/ConfirmationTimeoutError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { InsufficientDepositErrorType } from "../errors/InsufficientDepositError.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import type { PaymentOutcomeUnknownErrorType } from "../errors/PaymentOutcomeUnknownError.ts";
import type { PaymentRateExceededErrorType } from "../errors/PaymentRateExceededError.ts";
import type { PaymentRefusedErrorType } from "../errors/PaymentRefusedError.ts";
import type { PriceExceedsPolicyErrorType } from "../errors/PriceExceedsPolicyError.ts";
import { ReceiverApiError } from "../errors/ReceiverApiError.ts";
import type { WrongChainErrorType } from "../errors/WrongChainError.ts";
import {
  decodeSponsorOffer,
  type MalformedHeaderErrorType,
  type PaymentRequirements,
  type SponsorOffer,
} from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { autoPayLimit } from "./autoPay.ts";
import { type DetectDepositMethodErrorType, detectDepositMethod } from "./detectDepositMethod.ts";
import {
  type FetchWithStoredChannelErrorType,
  type FetchWithStoredChannelParameters,
  payOnPaymentRequired,
} from "./fetchWithStoredChannel.ts";
import { type OpenChannelErrorType, openChannel } from "./openChannel.ts";
import { type RefreshChannelErrorType, refreshChannel } from "./refreshChannel.ts";
import { sponsoredOpenKind } from "./sponsoredOpenKind.ts";

export type FetchWithPaymentParameters = FetchWithStoredChannelParameters & {
  /**
   * Allows opening a channel when none can pay: returns the deposit to open it with (token base units), or
   * undefined to refuse. Without it a missing channel throws ChannelRequiredError.
   */
  deposit?: ((requirements: PaymentRequirements) => bigint | undefined) | undefined;
  /** How long to wait in total for a new channel's confirmations, in ms (default 60 000). */
  confirmationTimeout?: number | undefined;
  /** How often to look at the chain while waiting, in ms (default 1000). */
  pollInterval?: number | undefined;
};
export type FetchWithPaymentReturnType = Response;
export type FetchWithPaymentErrorType =
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
  | OpenChannelErrorType
  | UserRejectedRequestErrorType
  | FetchWithStoredChannelErrorType
  | DetectDepositMethodErrorType
  | RefreshChannelErrorType
  | ErrorType;

/**
 * `fetch` that pays on HTTP 402: reads the receiver's requirements, checks them against the spending policy, signs
 * a balance proof for the price on a channel to that receiver, and sends the request again with the payment.
 * A paid request that gets no answer at all is sent again with the same payment (never a second one) a bounded
 * number of times, and so is one the receiver answered 503 `store_unavailable` (after its Retry-After). Waits (bounded) when the channel is not confirmed yet, resynchronizes from the receiver's echo on
 * an invalid amount (adopting it only if the echoed proof is the client's own), and throws a typed error instead of
 * paying when the price, the budget or the deposit does not allow it. Non-402 responses are returned untouched.
 * When a channel must be opened and the 402 offers a sponsored open (RDN-Sponsored-Open) that the deposit and the
 * token allow (a request kind the offer takes: one EIP-3009 signature, or EIP-2612 permit and authorization), the
 * receiver opens it and pays the gas; when the receiver refuses, the client opens it
 * itself. The payment itself is `fetchWithStoredChannel`'s; this adds what goes through the chain.
 *
 * @example
 * import { fetchWithPayment } from "@micro-raiden/web-client";
 * const response = await fetchWithPayment(client, {
 *   input: "http://localhost:3000/articles/1",
 *   deposit: (requirements) => requirements.price * 100n,
 * });
 */
export function fetchWithPayment(
  client: ChannelClient,
  parameters: FetchWithPaymentParameters,
): Promise<FetchWithPaymentReturnType> {
  const deadline = Date.now() + (parameters.confirmationTimeout ?? 60_000);
  return payOnPaymentRequired(client, parameters, {
    openChannel: (requirements, url, response) =>
      openFor(client, requirements, url, parameters, sponsorOffer(response)),
    waitForBlocks: (blocks) => waitForBlocks(client, blocks, deadline, parameters),
    refreshChannel: (channel) => refreshChannel(client, channel),
  });
}

/** Opens a channel to the receiver with the deposit the caller allows; undefined when it allows none. */
async function openFor(
  client: ChannelClient,
  requirements: PaymentRequirements,
  url: string,
  parameters: FetchWithPaymentParameters,
  offer: SponsorOffer | undefined,
): Promise<StoredChannel | undefined> {
  const deposit = parameters.deposit?.(requirements);
  if (deposit === undefined) return undefined;
  const manager = {
    chainId: requirements.chainId,
    contract: requirements.contract,
    token: requirements.token,
    receiver: requirements.receiver,
    deposit,
    // A channel opened to pay as it goes is bounded like one the reader opens in a paywall (none for a policy
    // without a rate: a machine client's).
    autoPay: autoPayLimit(client.policy, requirements.price),
  };
  const method = await detectDepositMethod(client, { token: requirements.token });
  // The request the offer takes that the token allows: one signature on USDC when the receiver says it takes that.
  const kind = offer && deposit >= offer.minDeposit ? sponsoredOpenKind(offer, method) : undefined;
  if (offer && kind) {
    try {
      return await openChannel(client, {
        ...manager,
        method: "sponsored",
        kind,
        sponsorUrl: new URL(offer.path, url).href,
      });
    } catch (error) {
      // The receiver said no with a protocol code (a limit, its minimum, no funds for gas): nothing was sent, pay the
      // gas instead. Anything else — the reader refused to sign, no answer, an answer without a code — may hide an
      // open the receiver did send, and a second channel would lock a second deposit.
      if (!(error instanceof ReceiverApiError && error.code !== undefined)) throw error;
    }
  }
  return openChannel(client, { ...manager, method });
}

/**
 * The 402's sponsored-open offer (`RDN-Sponsored-Open`, or x402's channel entry); a malformed one is no offer (the
 * client can always pay the gas itself).
 */
function sponsorOffer(response: Response): SponsorOffer | undefined {
  try {
    return decodeSponsorOffer(response.headers);
  } catch {
    return undefined;
  }
}

async function waitForBlocks(
  client: ChannelClient,
  blocks: bigint,
  deadline: number,
  parameters: FetchWithPaymentParameters,
): Promise<void> {
  const pollInterval = parameters.pollInterval ?? 1000;
  const wanted = blocks > 0n ? blocks : 1n;
  const target = (await getBlockNumber(client.publicClient, { cacheTime: 0 })) + wanted;
  while ((await getBlockNumber(client.publicClient, { cacheTime: 0 })) < target) {
    if (Date.now() + pollInterval > deadline) {
      throw new ConfirmationTimeoutError({ blocks: wanted, timeout: parameters.confirmationTimeout ?? 60_000 });
    }
    await new Promise((resolve) => setTimeout(resolve, pollInterval));
  }
}
