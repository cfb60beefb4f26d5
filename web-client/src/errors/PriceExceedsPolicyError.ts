import { BaseError } from "../protocol/BaseError.ts";

/**
 * A 402 asks for more than the spending policy's maximum price per request, or a payment would cost more than its
 * channel pays without asking (`StoredChannel.autoPay`) and the reader did not approve that price. Nothing was signed.
 *
 * @example
 * import { PriceExceedsPolicyError } from "@micro-raiden/web-client";
 * if (error instanceof PriceExceedsPolicyError) showTooExpensive(error.price);
 */
export class PriceExceedsPolicyError extends BaseError {
  override name = "PriceExceedsPolicyError" as const;
  readonly price: bigint;
  readonly maxPrice: bigint;
  constructor({ price, maxPrice, url }: { price: bigint; maxPrice: bigint; url?: string | undefined }) {
    super(`${url ?? "A payment"} asks ${price}, above the maximum price per request of ${maxPrice}.`);
    this.price = price;
    this.maxPrice = maxPrice;
  }
}

export type PriceExceedsPolicyErrorType = PriceExceedsPolicyError & { name: "PriceExceedsPolicyError" };
