import { createContext, type ReactNode, useContext, useEffect } from "react";
import type { QueryClient } from "./QueryClient.ts";

const QueryClientContext = createContext<QueryClient | undefined>(undefined);

/** Hands `client` to the queries and mutations below, and mounts it (refetch on focus and when back online). */
export function QueryClientProvider({ client, children }: { client: QueryClient; children?: ReactNode }): ReactNode {
  useEffect(() => {
    client.mount();
    return () => client.unmount();
  }, [client]);
  return <QueryClientContext value={client}>{children}</QueryClientContext>;
}

/** The QueryClient of the nearest QueryClientProvider. */
export function useQueryClient(): QueryClient {
  const client = useContext(QueryClientContext);
  if (!client) throw new Error("No QueryClient set, use QueryClientProvider to set one");
  return client;
}
