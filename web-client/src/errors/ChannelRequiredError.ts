import { BaseError } from "../protocol/BaseError.ts";
import type { PaymentRequirements } from "../protocol/index.ts";

/**
 * A 402 asks for payment and there is no usable channel, and the caller did not allow opening one.
 *
 * @example
 * import { ChannelRequiredError } from "@micro-raiden/web-client";
 * if (error instanceof ChannelRequiredError) await openChannel(client, { ...error.requirements, deposit });
 */
export class ChannelRequiredError extends BaseError {
  override name = "ChannelRequiredError" as const;
  readonly requirements: PaymentRequirements;
  constructor({ requirements, url }: { requirements: PaymentRequirements; url: string }) {
    super(`${url} costs ${requirements.price} and there is no open channel to ${requirements.receiver}.`, {
      metaMessages: [
        "Open one with openChannel(), or pass a deposit policy to fetchWithPayment to open one automatically.",
      ],
    });
    this.requirements = requirements;
  }
}

export type ChannelRequiredErrorType = ChannelRequiredError & { name: "ChannelRequiredError" };
