import type { ProofRecord } from "../store/records.ts";

/**
 * Group commit: proofs accepted while the previous batch is being written go together in the next one, so many
 * concurrent payments share one fsync. `commit` resolves only once its proof is on disk.
 */
export class GroupCommitter {
  readonly #write: (proofs: readonly ProofRecord[]) => Promise<void> | void;
  #pending: { proof: ProofRecord; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #writing = false;

  constructor(write: (proofs: readonly ProofRecord[]) => Promise<void> | void) {
    this.#write = write;
  }

  commit(proof: ProofRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ proof, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        // Let the current turn of the event loop add its proofs to the batch first.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush() {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#write(batch.map((entry) => entry.proof));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#writing = false;
  }
}
