import type { ChannelLock } from "./ChannelLock.ts";
import { memoryLock } from "./memoryLock.ts";
import { webLock } from "./webLock.ts";

/**
 * Web Locks where the runtime has them, otherwise a lock for this realm. What `createChannelClient` uses by default.
 *
 * @example
 * import { createChannelClient, defaultLock } from "@micro-raiden/web-client";
 * const client = createChannelClient({ provider: window.ethereum, lock: defaultLock() });
 */
export function defaultLock(): ChannelLock {
  return globalThis.navigator?.locks ? webLock(globalThis.navigator.locks) : memoryLock();
}
