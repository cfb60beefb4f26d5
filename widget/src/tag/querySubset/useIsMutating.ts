import { useSyncExternalStore } from "react";
import { useQueryClient } from "./QueryClientProvider.tsx";
import type { QueryKey } from "./queryKeys.ts";

/** How many mutations under `mutationKey` are running, in any component of the client. */
export function useIsMutating(filters: { mutationKey?: QueryKey | undefined } = {}): number {
  const client = useQueryClient();
  return useSyncExternalStore(client.subscribeMutations, () => client.isMutating(filters));
}
