// The 402 HTML page's paywall element carries the payment requirements in data-* attributes, for the widget.
import { MalformedAttributeError } from "./MalformedAttributeError.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import type { PaymentRequirements } from "./paymentHeaders.ts";
import { parseAddress, parseChainId, parsePath, parseUint } from "./wire.ts";

/** The attribute of each requirement: the only place they are spelled out. */
export const paywallAttributeNames = {
  price: "data-price",
  receiver: "data-receiver",
  contract: "data-contract",
  token: "data-token",
  chainId: "data-chain-id",
  gatewayPath: "data-gateway-path",
} as const satisfies Record<keyof PaymentRequirements, string>;

export type PaywallAttributeName = (typeof paywallAttributeNames)[keyof typeof paywallAttributeNames];

/**
 * Optional attributes by which a site declares what readers' channels pay without asking (the widget's spending
 * policy): the most a page costs (token base units), automatic payments a minute, the most paid to the site in all.
 */
export const paywallPolicyAttributeNames = {
  maxPrice: "data-max-price",
  maxPaymentsPerMinute: "data-max-payments-per-minute",
  budgetPerReceiver: "data-budget-per-receiver",
} as const;

/** Read access to an element's attributes: a DOM `Element`, or anything with the same `getAttribute`. */
export type AttributeReader = { getAttribute(name: string): string | null };

/**
 * The paywall element's attributes for `requirements` (values unescaped: let the HTML templating escape them).
 *
 * @example
 * import { encodePaywallAttributes } from "@micro-raiden/web-client/protocol";
 * for (const [name, value] of Object.entries(encodePaywallAttributes(requirements))) element.setAttribute(name, value);
 */
export function encodePaywallAttributes(requirements: PaymentRequirements): Record<PaywallAttributeName, string> {
  return {
    [paywallAttributeNames.price]: requirements.price.toString(),
    [paywallAttributeNames.receiver]: requirements.receiver,
    [paywallAttributeNames.contract]: requirements.contract,
    [paywallAttributeNames.token]: requirements.token,
    [paywallAttributeNames.chainId]: String(requirements.chainId),
    [paywallAttributeNames.gatewayPath]: requirements.gatewayPath,
  };
}

/**
 * Reads and validates the payment requirements from the paywall element's attributes, with the same rules as the
 * 402's headers. Throws MalformedAttributeError naming the first missing or malformed attribute.
 *
 * @example
 * import { decodePaywallAttributes } from "@micro-raiden/web-client/protocol";
 * const requirements = decodePaywallAttributes(document.getElementById("micro-raiden-paywall")!);
 */
export function decodePaywallAttributes(element: AttributeReader): PaymentRequirements {
  const read = <T>(attribute: string, parse: (value: string) => T): T => {
    const value = element.getAttribute(attribute);
    if (value === null || value === "") throw new MalformedAttributeError({ attribute, reason: "missing" });
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof MalformedHeaderError) throw new MalformedAttributeError({ attribute, reason: error.reason });
      throw error;
    }
  };
  const names = paywallAttributeNames;
  return {
    gatewayPath: read(names.gatewayPath, (v) => parsePath(names.gatewayPath, v)),
    receiver: read(names.receiver, (v) => parseAddress(names.receiver, v)),
    contract: read(names.contract, (v) => parseAddress(names.contract, v)),
    token: read(names.token, (v) => parseAddress(names.token, v)),
    chainId: read(names.chainId, (v) => parseChainId(names.chainId, v)),
    price: read(names.price, (v) => parseUint(names.price, v)),
  };
}
