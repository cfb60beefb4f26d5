import type { Abi, Address, ContractFunctionName, ReadContractReturnType } from "viem";
import { readContract } from "viem/actions";
import { type UseQueryOptions, type UseQueryResult, useQuery } from "../querySubset/useQuery.ts";
import type { Config } from "./createConfig.ts";
import { useConfig } from "./WagmiProvider.tsx";

/** TanStack options a wagmi read hook takes beside its own (`query`). */
export type ReadQueryOptions<TData> = Omit<UseQueryOptions<TData>, "queryKey" | "queryFn">;

type ViewFunction<abi extends Abi> = ContractFunctionName<abi, "pure" | "view">;

/** One contract read: the contract, the function and its arguments, the chain (one of the config's). */
export type ContractRead<abi extends Abi = Abi, functionName extends ViewFunction<abi> = ViewFunction<abi>> = {
  address?: Address | undefined;
  abi: abi;
  functionName: functionName;
  args?: readonly unknown[] | undefined;
  chainId: number;
};

type ReadResult<read> =
  read extends ContractRead<infer abi, infer functionName> ? ReadContractReturnType<abi, functionName> : unknown;

/** A read of `useReadContracts`: its result, or why it failed (the others still count). */
export type ContractReadOutcome<TResult> =
  | { status: "success"; result: TResult; error?: undefined }
  | { status: "failure"; result?: undefined; error: Error };

const read = (config: Config, { address, abi, functionName, args, chainId }: ContractRead) => {
  if (!address) throw new Error("address is required");
  return readContract(config.getClient({ chainId }), { address, abi, functionName, args });
};

/** wagmi's query key of a read: the read without its ABI. */
const readKey = ({ abi: _, ...rest }: ContractRead) => rest;

/** wagmi's `useReadContract`: a view function's result as a query over the config's transport for `chainId`. */
export function useReadContract<const abi extends Abi, functionName extends ViewFunction<abi>>(
  parameters: ContractRead<abi, functionName> & {
    query?: ReadQueryOptions<ReadContractReturnType<abi, functionName>> | undefined;
  },
): UseQueryResult<ReadContractReturnType<abi, functionName>> {
  const config = useConfig();
  const { query, ...contract } = parameters;
  return useQuery({
    ...query,
    queryKey: ["readContract", readKey(contract)],
    queryFn: () => read(config, contract) as Promise<ReadContractReturnType<abi, functionName>>,
    enabled: Boolean(contract.address) && query?.enabled !== false,
  });
}

/**
 * wagmi's `useReadContracts` with `allowFailure` (its default): each read's result or failure. Each read is its own
 * call: the chains a reader meets here (the local chain, a receiver's own RPC URL) have no multicall contract, where
 * wagmi too falls back to single reads.
 */
export function useReadContracts<const reads extends readonly ContractRead[]>(parameters: {
  contracts: reads;
  query?: ReadQueryOptions<{ [k in keyof reads]: ContractReadOutcome<ReadResult<reads[k]>> }> | undefined;
}): UseQueryResult<{ [k in keyof reads]: ContractReadOutcome<ReadResult<reads[k]>> }> {
  const config = useConfig();
  const { contracts, query } = parameters;
  return useQuery({
    ...query,
    queryKey: ["readContracts", { contracts: contracts.map(readKey) }],
    queryFn: async () => {
      const settled = await Promise.allSettled(contracts.map((contract) => read(config, contract)));
      return settled.map((outcome) =>
        outcome.status === "fulfilled"
          ? { status: "success", result: outcome.value }
          : { status: "failure", error: outcome.reason },
      ) as { [k in keyof reads]: ContractReadOutcome<ReadResult<reads[k]>> };
    },
  });
}
