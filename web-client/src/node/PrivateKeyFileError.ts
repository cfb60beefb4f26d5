import { BaseError } from "../protocol/BaseError.ts";

/**
 * A private key file is readable by others or does not hold a 32-byte hex key. The key never appears in the message.
 *
 * @example
 * import { PrivateKeyFileError } from "@micro-raiden/web-client/node";
 * if (error instanceof PrivateKeyFileError) console.error(error.shortMessage);
 */
export class PrivateKeyFileError extends BaseError {
  override name = "PrivateKeyFileError" as const;
  readonly path: string;
  constructor({ path, reason }: { path: string; reason: string }) {
    super(`${path} ${reason}.`);
    this.path = path;
  }
}

export type PrivateKeyFileErrorType = PrivateKeyFileError & { name: "PrivateKeyFileError" };
