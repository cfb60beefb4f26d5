import type { ProofStore } from "./ProofStore.ts";

/**
 * The ProofStore's operations for a store behind a network connection: the same meaning, each resolving once the
 * database has committed it.
 */
export type AsyncProofStore = {
  [K in keyof ProofStore]: ProofStore[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};
