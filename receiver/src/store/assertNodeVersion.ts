/** The oldest Node.js major the receiver runs on: its store is `node:sqlite`, and it is tested on Node 24. */
export const minimumNodeMajor = 24;

/**
 * Throws a plain "The receiver needs Node.js 24 or later (this is v22.12.0)." on an older Node, where the receiver
 * would otherwise fail later and cryptically (`node:sqlite` missing or behind a flag). Call it with
 * `process.version` before anything loads `node:sqlite`. A version it cannot read passes: it refuses only a Node it
 * knows is too old.
 *
 * @example
 * assertNodeVersion(process.version);
 */
export function assertNodeVersion(version: string): void {
  const major = /^v?(\d+)\./.exec(version.trim())?.[1];
  if (major !== undefined && Number(major) < minimumNodeMajor) {
    throw new Error(`The receiver needs Node.js ${minimumNodeMajor} or later (this is ${version}).`);
  }
}
