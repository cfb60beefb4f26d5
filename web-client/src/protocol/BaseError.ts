/** Parameters shared by every error of this library. */
export type BaseErrorParameters = {
  cause?: unknown;
  details?: string | undefined;
  metaMessages?: string[] | undefined;
};

/**
 * The root of every error the library throws, in viem's style: a short message, optional details and meta
 * messages, the original error as `cause`, and `walk()` to find a cause of a given kind. Callers narrow on
 * `error.name`.
 *
 * @example
 * import { BaseError, fetchWithPayment } from "@micro-raiden/web-client";
 * try {
 *   await fetchWithPayment(client, { input: url });
 * } catch (error) {
 *   if (error instanceof BaseError && error.name === "PriceExceedsPolicyError") showTooExpensive();
 * }
 */
export class BaseError extends Error {
  override name: string = "BaseError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const causeMessage = parameters.cause instanceof Error ? parameters.cause.message : undefined;
    const details = parameters.details ?? causeMessage;
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (details && details !== shortMessage) lines.push("", `Details: ${details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = details;
    this.metaMessages = parameters.metaMessages;
  }

  /** The deepest cause, or the first error along the cause chain for which `predicate` holds (null if none). */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    while (current !== undefined && current !== null) {
      if (predicate?.(current)) return current;
      const next: unknown = current instanceof Error ? current.cause : undefined;
      if (next === undefined) return predicate ? null : current;
      current = next;
    }
    return null;
  }
}
