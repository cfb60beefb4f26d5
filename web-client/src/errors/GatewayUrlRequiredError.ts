import { BaseError } from "../protocol/BaseError.ts";

/**
 * A cooperative close was asked without the receiver's REST API URL (`gatewayUrl`).
 *
 * @example
 * import { GatewayUrlRequiredError } from "@micro-raiden/web-client";
 * if (error instanceof GatewayUrlRequiredError) console.log(error.shortMessage);
 */
export class GatewayUrlRequiredError extends BaseError {
  override name = "GatewayUrlRequiredError" as const;
  constructor() {
    super("A cooperative close needs the receiver's gatewayUrl.", {
      metaMessages: ["It is the 402's RDN-Gateway-Path on the receiver's origin, e.g. https://site.example/api/1."],
    });
  }
}

export type GatewayUrlRequiredErrorType = GatewayUrlRequiredError & { name: "GatewayUrlRequiredError" };
