const databaseName = "micro-raiden-worker";
/** Version 2 added `priceRoutes` beside version 1's `grants`. */
const version = 2;
const storeNames = ["grants", "priceRoutes"] as const;

/**
 * The payment worker's own IndexedDB database, opened once for the worker's life (and again after another version
 * of the worker upgraded it): one object store per thing the worker remembers.
 */
export function workerDatabase(factory: IDBFactory = indexedDB) {
  let opened: Promise<IDBDatabase> | undefined;
  const database = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(databaseName, version);
      request.onupgradeneeded = () => {
        for (const name of storeNames) {
          if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          opened = undefined;
        };
        resolve(db);
      };
      request.onerror = () => {
        opened = undefined;
        reject(request.error);
      };
    });
    return opened;
  };
  return {
    /** Runs `run` in a transaction on `storeName`; resolves with its request's result once the transaction committed. */
    async transact<T>(
      storeName: (typeof storeNames)[number],
      mode: IDBTransactionMode,
      run: (store: IDBObjectStore) => IDBRequest<T>,
    ): Promise<T> {
      const db = await database();
      return new Promise<T>((resolve, reject) => {
        const transaction = db.transaction(storeName, mode);
        const request = run(transaction.objectStore(storeName));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onabort = () => reject(transaction.error);
      });
    },
  };
}
