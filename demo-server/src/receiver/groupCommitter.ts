import type { ProofStore } from "../store/ProofStore.ts";
import type { ProofRecord } from "../store/records.ts";

/**
 * Group commit: proofs accepted within one turn of the event loop are written in one SQLite transaction, so many
 * concurrent payments share one fsync. `commit` resolves only once its proof is on disk.
 */
export class GroupCommitter {
  readonly #store: ProofStore;
  #pending: { proof: ProofRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;

  constructor(store: ProofStore) {
    this.#store = store;
  }

  commit(proof: ProofRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ proof, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush() {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    try {
      this.#store.saveProofs(batch.map((entry) => entry.proof));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
