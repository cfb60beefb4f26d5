import { BaseError } from "../protocol/BaseError.ts";

/**
 * The chain did not advance enough blocks for a channel's confirmations within the allowed time.
 *
 * @example
 * import { ConfirmationTimeoutError } from "@micro-raiden/web-client";
 * if (error instanceof ConfirmationTimeoutError) console.log(`still ${error.blocks} block(s) to wait`);
 */
export class ConfirmationTimeoutError extends BaseError {
  override name = "ConfirmationTimeoutError" as const;
  readonly blocks: bigint;
  readonly timeout: number;
  constructor({ blocks, timeout }: { blocks: bigint; timeout: number }) {
    super(`The chain did not advance ${blocks} block(s) within ${timeout} ms.`);
    this.blocks = blocks;
    this.timeout = timeout;
  }
}

export type ConfirmationTimeoutErrorType = ConfirmationTimeoutError & { name: "ConfirmationTimeoutError" };
