import type { ChannelLock } from "./ChannelLock.ts";

/**
 * A lock for one JavaScript realm (tests, or runtimes without Web Locks): tasks on one name run one at a time in
 * call order.
 *
 * @example
 * import { createChannelClient, memoryLock } from "@micro-raiden/web-client";
 * const client = createChannelClient({ provider: window.ethereum, lock: memoryLock() });
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
