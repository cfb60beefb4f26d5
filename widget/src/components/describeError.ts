import type { Messages } from "../i18n/en.ts";

export type ErrorDescription = {
  /** The reader said no in the wallet (EIP-1193 4001): nothing happened, nothing was charged. */
  rejected: boolean;
  /** A plain sentence for the reader. */
  sentence: string;
  /** The error's own words, folded away: its `shortMessage`, then its `details`. */
  details: string[];
};

/** An error as the reader should meet it: a rejection, or a human sentence with the technical part folded away. */
export function describeError(error: unknown, messages: Messages): ErrorDescription {
  const chain = causes(error);
  if (chain.some(isRejection)) {
    return { rejected: true, sentence: messages.rejected, details: [] };
  }
  const sentences = new Map<string, string>(Object.entries(messages.errors));
  // The outermost error the catalog has a sentence for: viem wraps wallet errors, the web-client wraps reverts. A
  // wallet that passes the node's refusal on as a generic RPC error still names the missing fee in its words.
  const sentence =
    chain.map((e) => sentences.get(e.name)).find((s) => s !== undefined) ??
    (chain.some(lacksFunds) ? messages.errors.InsufficientFundsError : messages.errors.generic);
  const first = chain[0];
  const shortMessage = first ? (text(Reflect.get(first, "shortMessage")) ?? first.message) : String(error);
  const details = first ? text(Reflect.get(first, "details")) : undefined;
  return {
    rejected: false,
    sentence,
    details: [shortMessage, ...(details && details !== shortMessage ? [details] : [])],
  };
}

/**
 * The reader said no: EIP-1193's 4001 (viem's UserRejectedRequestError), or a wallet that drops the code and says it
 * in words ("User rejected the request.", "User denied transaction signature.", "Rejected by user").
 */
function isRejection(error: Error): boolean {
  if (error.name === "UserRejectedRequestError" || Reflect.get(error, "code") === 4001) return true;
  // viem keeps a wallet's own words for an unknown code in `details` (InternalRpcError: "An internal error…").
  return [error.message, Reflect.get(error, "details")].some(
    (words) => typeof words === "string" && rejectionWords.test(words),
  );
}

const rejectionWords = /\buser (rejected|denied|cancell?ed)\b|\b(rejected|denied|cancell?ed) by (the )?user\b/i;

/** Geth's, Hardhat's and viem's words for an account that cannot pay a transaction's fee (and value). */
const fundsMissing =
  /insufficient funds|(doesn't|does not) have enough funds|exceeds transaction sender account balance/i;

function lacksFunds(error: Error): boolean {
  return [error.message, Reflect.get(error, "details")].some(
    (words) => typeof words === "string" && fundsMissing.test(words),
  );
}

function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  return chain;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
