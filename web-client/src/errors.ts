// The client's errors. All extend the protocol's BaseError, so `error.walk()` and `error.name` work across the
// library; a wallet's "Reject" stays viem's UserRejectedRequestError (code 4001) and is never wrapped twice.
import type { Address } from "viem";
import { BaseError, type PaymentFailure, type PaymentRequirements } from "./protocol/index.ts";
import type { ChannelKey, ChannelState, StoredChannel } from "./storage/ChannelStorage.ts";

/** A 402 asks for payment and there is no usable channel, and the caller did not allow opening one. */
export class ChannelRequiredError extends BaseError {
  override name = "ChannelRequiredError" as const;
  readonly requirements: PaymentRequirements;
  constructor({ requirements, url }: { requirements: PaymentRequirements; url: string }) {
    super(`${url} costs ${requirements.price} and there is no open channel to ${requirements.receiver}.`, {
      metaMessages: [
        `Open one with openChannel(), or pass a deposit policy to fetchWithPayment to open one automatically.`,
      ],
    });
    this.requirements = requirements;
  }
}

/** A 402 asks for more than the spending policy's maximum price per request. Nothing was signed. */
export class PriceExceedsPolicyError extends BaseError {
  override name = "PriceExceedsPolicyError" as const;
  readonly price: bigint;
  readonly maxPrice: bigint;
  constructor({ price, maxPrice, url }: { price: bigint; maxPrice: bigint; url: string }) {
    super(`${url} asks ${price}, above the maximum price per request of ${maxPrice}.`);
    this.price = price;
    this.maxPrice = maxPrice;
  }
}

/** Paying would take the total paid to a receiver past the spending policy's budget. Nothing was signed. */
export class BudgetExceededError extends BaseError {
  override name = "BudgetExceededError" as const;
  readonly receiver: Address;
  readonly budget: bigint;
  readonly spent: bigint;
  readonly price: bigint;
  constructor(parameters: { receiver: Address; budget: bigint; spent: bigint; price: bigint }) {
    super(
      `Paying ${parameters.price} to ${parameters.receiver} would exceed its budget of ${parameters.budget} (${parameters.spent} spent).`,
    );
    this.receiver = parameters.receiver;
    this.budget = parameters.budget;
    this.spent = parameters.spent;
    this.price = parameters.price;
  }
}

/** The channel's remaining deposit does not cover the price: top it up or open another. Nothing was signed. */
export class InsufficientDepositError extends BaseError {
  override name = "InsufficientDepositError" as const;
  readonly channel: StoredChannel;
  readonly price: bigint;
  constructor({ channel, price }: { channel: StoredChannel; price: bigint }) {
    super(
      `Channel ${channel.openBlock} to ${channel.receiver} has ${channel.deposit - channel.balance} left, less than the price ${price}.`,
    );
    this.channel = channel;
    this.price = price;
  }
}

/** The receiver kept refusing the payment (after waiting for confirmations or resynchronizing as allowed). */
export class PaymentRefusedError extends BaseError {
  override name = "PaymentRefusedError" as const;
  readonly failure: PaymentFailure | undefined;
  readonly status: number;
  constructor({
    failure,
    status,
    url,
    message,
  }: { failure?: PaymentFailure; status: number; url: string; message?: string }) {
    super(`${url} refused the payment (${failure?.code ?? `HTTP ${status}`}).`, { details: message });
    this.failure = failure;
    this.status = status;
  }
}

/** The wallet is on another chain than the one the receiver's contract lives on, and switching failed. */
export class ChainMismatchError extends BaseError {
  override name = "ChainMismatchError" as const;
  readonly expected: number;
  readonly actual: number;
  constructor({ expected, actual, cause }: { expected: number; actual: number; cause?: unknown }) {
    super(`The wallet is on chain ${actual}, the channel manager on chain ${expected}.`, { cause });
    this.expected = expected;
    this.actual = actual;
  }
}

/** The channel manager reverted: `errorName` and `args` are the contract's custom error (see IChannelManager.sol). */
export class ChannelManagerRevertError extends BaseError {
  override name = "ChannelManagerRevertError" as const;
  readonly errorName: string;
  readonly args: readonly unknown[];
  constructor({ errorName, args, cause }: { errorName: string; args: readonly unknown[]; cause: unknown }) {
    super(`The channel manager refused: ${errorName}(${args.map(String).join(", ")}).`, { cause });
    this.errorName = errorName;
    this.args = args;
  }
}

/** The receiver's REST API answered with an error (for instance when asked for a closing signature). */
export class ReceiverApiError extends BaseError {
  override name = "ReceiverApiError" as const;
  readonly status: number;
  readonly code: string | undefined;
  constructor({ status, code, message, url }: { status: number; code?: string; message?: string; url: string }) {
    super(`${url} answered ${status}${code ? ` (${code})` : ""}.`, { details: message });
    this.status = status;
    this.code = code;
  }
}

/** A payment was asked on a channel this client does not know, or knows as closing or closed. */
export class ChannelNotOpenError extends BaseError {
  override name = "ChannelNotOpenError" as const;
  readonly channel: ChannelKey;
  readonly state: ChannelState | undefined;
  constructor({ channel, state }: { channel: ChannelKey; state: ChannelState | undefined }) {
    super(`Channel ${channel.openBlock} to ${channel.receiver} is ${state ?? "unknown to this client"}.`);
    this.channel = channel;
    this.state = state;
  }
}
