import type { PaymentRequirements } from "@micro-raiden/web-client";
import { workerDatabase } from "./workerDatabase.ts";
import { decodeWorkerRequest, encodeWorkerRequest, type PaymentGrant } from "./workerMessages.ts";

const storeName = "grants";

/**
 * The worker's grants, in its IndexedDB database (the browser stops an idle worker within seconds, so nothing it
 * must remember can live in memory). One grant per receiver: a new one replaces it. Stored in their message form
 * and decoded again on read, so a grant written by an older worker is validated like a message.
 */
export function grantStore(factory: IDBFactory = indexedDB) {
  const database = workerDatabase(factory);
  const transact = <T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>) =>
    database.transact(storeName, mode, run);

  // Grants as read, by key, for the worker's life: every paid request looks its grant up, and only this worker writes
  // them (through `put` and `clear`, which drop what was read).
  const found = new Map<string, Promise<PaymentGrant | undefined>>();
  const read = async (key: string): Promise<PaymentGrant | undefined> => {
    const stored = await transact("readonly", (store) => store.get(key));
    try {
      const decoded = decodeWorkerRequest(stored);
      return decoded?.type === "grant" ? decoded.grant : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    /** Stores `grant` in place of the receiver's previous one; resolves with whether that one was different. */
    async put(grant: PaymentGrant): Promise<boolean> {
      found.delete(grantKey(grant));
      const encoded = encodeWorkerRequest({ type: "grant", grant });
      const previous = await transact("readwrite", (store) => {
        const read = store.get(grantKey(grant));
        read.onsuccess = () => store.put(encoded, grantKey(grant));
        return read;
      });
      found.delete(grantKey(grant));
      return JSON.stringify(previous) !== JSON.stringify(encoded);
    },
    /** The grant for the receiver `requirements` name, if the reader gave one. A corrupt entry counts as none. */
    find(requirements: PaymentRequirements): Promise<PaymentGrant | undefined> {
      const key = grantKey(requirements);
      let grant = found.get(key);
      if (!grant) {
        grant = read(key);
        found.set(key, grant);
        // A failed read is not remembered.
        grant.catch(() => found.get(key) === grant && found.delete(key));
      }
      return grant;
    },
    /** Whether the reader granted any receiver (the worker then pays announced routes first). */
    async any(): Promise<boolean> {
      return (await transact("readonly", (store) => store.count())) > 0;
    },
    async clear(): Promise<void> {
      found.clear();
      await transact("readwrite", (store) => store.clear());
      found.clear();
    },
  };
}

function grantKey(key: Pick<PaymentGrant, "chainId" | "contract" | "receiver">): string {
  return `${key.chainId}:${key.contract}:${key.receiver}`.toLowerCase();
}
