import { getBlockNumber } from "viem/actions";
import { type UseQueryResult, useQuery } from "../querySubset/useQuery.ts";
import type { ReadQueryOptions } from "./useReadContract.ts";
import { useConfig } from "./WagmiProvider.tsx";

/**
 * wagmi's `useBlockNumber`: the chain's head as a query (through viem's block number cache, 4 s by default, as
 * wagmi's clients).
 */
export function useBlockNumber(parameters: {
  chainId: number;
  query?: ReadQueryOptions<bigint> | undefined;
}): UseQueryResult<bigint> {
  const config = useConfig();
  const { chainId, query } = parameters;
  return useQuery({
    ...query,
    queryKey: ["blockNumber", { chainId }],
    queryFn: () => getBlockNumber(config.getClient({ chainId })),
  });
}
