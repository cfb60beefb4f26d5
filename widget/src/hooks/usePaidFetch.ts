import {
  type CreatePaidFetchParameters,
  type CreatePaidFetchReturnType,
  createPaidFetch,
} from "@micro-raiden/web-client";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { channelQueryRoot } from "./channelQueryKey.ts";

/**
 * A `fetch` that pays on HTTP 402 from the reader's channel (the web-client's `createPaidFetch`), for single-page
 * apps; undefined until a wallet is connected. Every call refreshes the channel views (the balance moved).
 *
 * @example
 * import { usePaidFetch } from "@micro-raiden/widget";
 * const paidFetch = usePaidFetch();
 * const article = paidFetch && (await (await paidFetch("/articles/2")).text());
 */
export function usePaidFetch(parameters?: CreatePaidFetchParameters): CreatePaidFetchReturnType | undefined {
  const { client } = useWidgetContext();
  const queryClient = useQueryClient();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the options object is read once per client.
  return useMemo(() => {
    if (!client) return undefined;
    const paidFetch = createPaidFetch(client, parameters);
    return async (input, init) => {
      try {
        return await paidFetch(input, init);
      } finally {
        void queryClient.invalidateQueries({ queryKey: channelQueryRoot });
      }
    };
  }, [client, queryClient]);
}
