import { BaseError } from "../protocol/BaseError.ts";

/**
 * The wallet answered a connection request with no account.
 *
 * @example
 * import { NoAccountError } from "@micro-raiden/web-client";
 * if (error instanceof NoAccountError) showConnectButton();
 */
export class NoAccountError extends BaseError {
  override name = "NoAccountError" as const;
  constructor() {
    super("The wallet returned no account.", {
      metaMessages: ["Unlock the wallet and allow this site, then connect again."],
    });
  }
}

export type NoAccountErrorType = NoAccountError & { name: "NoAccountError" };
