/**
 * Group commit: entries (proof commits) accepted while the previous batch is being written go together in the next
 * one, so many concurrent payments share one fsync or one database round trip. `commit` resolves with its entry's
 * result once the batch is durable.
 */
export class GroupCommitter<Entry, Result> {
  readonly #write: (entries: readonly Entry[]) => Promise<readonly Result[]>;
  #pending: { entry: Entry; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  #writing = false;

  /** `write` commits a batch and gives one result per entry, in order. */
  constructor(write: (entries: readonly Entry[]) => Promise<readonly Result[]>) {
    this.#write = write;
  }

  commit(entry: Entry): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ entry, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        // Let the current turn of the event loop add its entries to the batch first.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush() {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const results = await this.#write(batch.map((pending) => pending.entry));
        batch.forEach((pending, index) => {
          const result = results[index];
          if (result === undefined) pending.reject(new Error("The store gave no result for a commit."));
          else pending.resolve(result);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#writing = false;
  }
}
