import { BaseError } from "./BaseError.ts";

/**
 * A `data-*` attribute of the 402 page's paywall element is missing or not what the protocol says it holds.
 *
 * @example
 * import { decodePaywallAttributes, MalformedAttributeError } from "@micro-raiden/web-client/protocol";
 * try { decodePaywallAttributes(element) } catch (error) { if (error instanceof MalformedAttributeError) console.log(error.attribute) }
 */
export class MalformedAttributeError extends BaseError {
  override name = "MalformedAttributeError" as const;
  readonly attribute: string;
  readonly reason: string;

  constructor({ attribute, reason }: { attribute: string; reason: string }) {
    super(`Malformed ${attribute} attribute: ${reason}.`);
    this.attribute = attribute;
    this.reason = reason;
  }
}

export type MalformedAttributeErrorType = MalformedAttributeError & { name: "MalformedAttributeError" };
