// The body of the operator's POST <gateway>/withdraw.
import { readJsonBody } from "./readJsonBody.ts";

/** A withdraw command, typed. */
export type WithdrawRequestBody = {
  /**
   * Withdraw from every open channel whose unwithdrawn balance is at least this many token base units. Absent: the
   * receiver's default (1, every channel with anything to withdraw).
   */
  threshold?: bigint | undefined;
};

/** The command as it travels: `{}` or `{ "threshold": "<decimal string>" }`. */
export type WithdrawRequestJson = { threshold?: string };

/**
 * The JSON of a withdraw command.
 *
 * @example
 * import { encodeWithdrawRequestBody } from "@micro-raiden/web-client/protocol";
 * const body = JSON.stringify(encodeWithdrawRequestBody({ threshold: 10n ** 15n }));
 */
export function encodeWithdrawRequestBody(body: WithdrawRequestBody): WithdrawRequestJson {
  return body.threshold === undefined ? {} : { threshold: body.threshold.toString() };
}

/**
 * Validates a parsed withdraw command: a JSON object with at most `threshold`, a decimal string (a JSON number, any
 * other type or any other field is refused). An empty or unparsable body is not a command: pass what `JSON.parse`
 * gave, and let a parse failure be a 400 too. Throws MalformedBodyError.
 *
 * @example
 * import { decodeWithdrawRequestBody } from "@micro-raiden/web-client/protocol";
 * const { threshold = 1n } = decodeWithdrawRequestBody(await request.json());
 */
export function decodeWithdrawRequestBody(json: unknown): WithdrawRequestBody {
  const body = readJsonBody(json, ["threshold"]);
  return body.present("threshold") ? { threshold: body.uint("threshold") } : {};
}
