import { BaseError } from "../protocol/BaseError.ts";

/**
 * An action needs the reader's account, and the client is not connected to the wallet (call `connect` first).
 *
 * @example
 * import { NotConnectedError } from "@micro-raiden/web-client";
 * if (error instanceof NotConnectedError) await connect(client);
 */
export class NotConnectedError extends BaseError {
  override name = "NotConnectedError" as const;
  constructor() {
    super("The wallet is not connected.", { metaMessages: ["Call connect(client) first."] });
  }
}

export type NotConnectedErrorType = NotConnectedError & { name: "NotConnectedError" };
