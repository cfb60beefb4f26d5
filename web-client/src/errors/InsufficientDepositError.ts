import { BaseError } from "../protocol/BaseError.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";

/**
 * The channel's remaining deposit does not cover the price: top it up or open another. Nothing was signed.
 *
 * @example
 * import { InsufficientDepositError } from "@micro-raiden/web-client";
 * if (error instanceof InsufficientDepositError) await topUp(client, { channel: error.channel, amount });
 */
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

export type InsufficientDepositErrorType = InsufficientDepositError & { name: "InsufficientDepositError" };
