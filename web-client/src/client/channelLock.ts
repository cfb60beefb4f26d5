/**
 * Runs `task` while holding the lock called `name`, so that two payments on one channel never sign conflicting
 * balances. Held from signing until the receiver's answer is recorded.
 */
export type ChannelLock = <T>(name: string, task: () => Promise<T>) => Promise<T>;

/**
 * A lock shared by every tab, window and worker of the same origin (Web Locks API; Node 24 has it too, across worker
 * threads).
 *
 * @example
 * import { webLock } from "@micro-raiden/web-client";
 * const client = await createChannelClient({ provider, storage, lock: webLock() });
 */
export function webLock(locks: LockManager = globalThis.navigator.locks): ChannelLock {
  return async (name, task) => {
    // Node does not keep a thread alive for a lock request that is still waiting; a timer does until it is granted.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      return await locks.request(`micro-raiden:${name}`, { mode: "exclusive" }, () => {
        clearInterval(keepAlive);
        return task();
      });
    } finally {
      clearInterval(keepAlive);
    }
  };
}

/**
 * A lock for one JavaScript realm (tests, or runtimes without Web Locks): tasks on one name run one at a time in
 * call order.
 *
 * @example
 * import { memoryLock } from "@micro-raiden/web-client";
 * const lock = memoryLock();
 */
export function memoryLock(): ChannelLock {
  const tails = new Map<string, Promise<unknown>>();
  return async (name, task) => {
    const previous = tails.get(name) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    try {
      return await run;
    } finally {
      if (tails.get(name) === tail) tails.delete(name);
    }
  };
}

/**
 * Web Locks where the runtime has them, otherwise a lock for this realm.
 *
 * @example
 * import { createChannelClient, defaultLock } from "@micro-raiden/web-client";
 * const client = await createChannelClient({ provider, lock: defaultLock() });
 */
export function defaultLock(): ChannelLock {
  return globalThis.navigator?.locks ? webLock(globalThis.navigator.locks) : memoryLock();
}
