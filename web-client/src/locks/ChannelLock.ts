/**
 * Runs `task` while holding the lock called `name`, so that two payments on one channel never sign conflicting
 * balances. Held from signing until the receiver's answer is recorded. Implementations: `webLock` (every tab of
 * the origin), `memoryLock` (one realm), or your own.
 */
export type ChannelLock = <T>(name: string, task: () => Promise<T>) => Promise<T>;
