import type { ChannelLock } from "./ChannelLock.ts";

/**
 * A lock shared by every tab, window and worker of the same origin (Web Locks API; Node 24 has it too, across worker
 * threads).
 *
 * @example
 * import { createChannelClient, webLock } from "@micro-raiden/web-client";
 * const client = createChannelClient({ provider: window.ethereum, lock: webLock() });
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
