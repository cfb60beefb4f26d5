import type { Address, Hash } from "viem";
import { BaseError } from "../protocol/BaseError.ts";

/**
 * An opening transaction succeeded but its receipt holds no ChannelCreated event of the channel manager.
 *
 * @example
 * import { NoChannelOpenedError } from "@micro-raiden/web-client";
 * if (error instanceof NoChannelOpenedError) console.log(error.hash);
 */
export class NoChannelOpenedError extends BaseError {
  override name = "NoChannelOpenedError" as const;
  readonly hash: Hash;
  readonly contract: Address;
  constructor({ hash, contract }: { hash: Hash; contract: Address }) {
    super(`Transaction ${hash} opened no channel on ${contract}.`);
    this.hash = hash;
    this.contract = contract;
  }
}

export type NoChannelOpenedErrorType = NoChannelOpenedError & { name: "NoChannelOpenedError" };
