import type { PaymentRequirements } from "@micro-raiden/web-client";
import { useSyncExternalStore } from "react";
import { readStatusSnapshot, type StatusSnapshot } from "./statusSnapshotStore.ts";

export { readStatusSnapshot, type StatusSnapshot, saveStatusSnapshot } from "./statusSnapshotStore.ts";

const subscribeToNothing = () => () => {};

/**
 * The snapshot stored for `requirements`' site, read as the component first renders (a page rendered on a server,
 * and its hydration, have none: the browser's copy comes right after).
 */
export function useStatusSnapshot(requirements: PaymentRequirements): StatusSnapshot | undefined {
  return useSyncExternalStore(
    subscribeToNothing,
    () => readStatusSnapshot(requirements),
    () => undefined,
  );
}
