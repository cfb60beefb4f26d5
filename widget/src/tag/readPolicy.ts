import type { SpendingPolicy } from "@micro-raiden/web-client";
import { parseUint, paywallPolicyAttributeNames } from "@micro-raiden/web-client/protocol";

/**
 * What a site may declare about automatic payments, in `window.microRaidenConfig.policy` or a mount's options:
 * amounts in token base units as decimal strings (or bigints), as everywhere on the wire.
 */
export type PolicyConfig = {
  /** The most a page is paid without asking (default: the price of the page where the reader opens the channel). */
  maxPrice?: string | bigint | undefined;
  /** Automatic payments a minute (default 30). */
  maxPaymentsPerMinute?: number | string | undefined;
  /** The most paid to the site in all. */
  budgetPerReceiver?: string | bigint | undefined;
};

/**
 * The spending policy for a mount: `element`'s `data-max-price`, `data-max-payments-per-minute` and
 * `data-budget-per-receiver`, else `config`'s. Throws naming the field when a value is not a whole number, so a typo
 * never silently lifts a limit (the mount then fails and the element's own content stays).
 */
export function readPolicy(element: Element | undefined, config: PolicyConfig | undefined): SpendingPolicy {
  // The element's attributes (the protocol's names; the receiver's 402 page sets data-max-price) win over the config.
  const read = (name: keyof PolicyConfig) => element?.getAttribute(paywallPolicyAttributeNames[name]) ?? config?.[name];
  const amount = (name: "maxPrice" | "budgetPerReceiver") => {
    const value = read(name);
    return value === undefined || typeof value === "bigint" ? value : parseUint(name, String(value));
  };
  const perMinute = read("maxPaymentsPerMinute");
  const count = perMinute === undefined ? undefined : Number(perMinute);
  if (count !== undefined && !(Number.isSafeInteger(count) && count > 0)) {
    throw new Error(`maxPaymentsPerMinute must be a whole number above 0, not ${String(perMinute)}.`);
  }
  return { maxPrice: amount("maxPrice"), budgetPerReceiver: amount("budgetPerReceiver"), maxPaymentsPerMinute: count };
}
