import type { ProofRecord } from "./records.ts";

/**
 * A proof to store only if the channel's stored balance is still `expectedBalance` (0n: no proof stored yet) —
 * the compare-and-set that lets several receivers take payments on one database: of two receivers that both saw
 * balance 10 and accepted a next proof, exactly one commits.
 */
export type ProofCommit = { proof: ProofRecord; expectedBalance: bigint };

/**
 * Whether a ProofCommit (or a closing mark) won. A lost one changed nothing; `current` is the channel's stored proof
 * (another receiver's, undefined if there is none) to refresh the caller's view with, and `closing` says the
 * channel is marked closing: it takes no more payments.
 */
export type ProofCommitResult =
  | { committed: true }
  | { committed: false; current: ProofRecord | undefined; closing: boolean };
