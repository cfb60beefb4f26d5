import type { PaymentRequirements } from "@micro-raiden/web-client";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import type { Address } from "viem";
import { useReadContract, useReadContracts } from "wagmi";
import type { TokenInfo } from "../format/formatTokenAmount.ts";

export type UseTokenInfoReturnType = {
  /** Symbol and decimals, read from the token; undefined while loading or when they cannot be read. */
  token: TokenInfo | undefined;
  /** The token could not be read on the requirements' chain (no RPC configured, or not a token). */
  failed: boolean;
  /** Whether the token mints to anyone here (the demo token on local and test chains): a faucet. */
  faucet: boolean;
  /** The reader's token balance, when connected. */
  balance: bigint | undefined;
  refetchBalance: () => void;
};

/** What the paywall shows about the token: symbol and decimals (never base units), faucet, the reader's balance. */
export function useTokenInfo(requirements: PaymentRequirements, reader: Address | undefined): UseTokenInfoReturnType {
  const token = { address: requirements.token, abi: demoTokenAbi, chainId: requirements.chainId } as const;
  const details = useReadContracts({
    contracts: [
      { ...token, functionName: "symbol" },
      { ...token, functionName: "decimals" },
      { ...token, functionName: "isTestNetwork" },
    ],
    query: { staleTime: Number.POSITIVE_INFINITY, retry: 1 },
  });
  const balance = useReadContract({
    ...token,
    functionName: "balanceOf",
    args: reader ? [reader] : undefined,
    query: { enabled: Boolean(reader), refetchInterval: 4000 },
  });
  const [symbol, decimals, testNetwork] = details.data ?? [];
  const info =
    symbol?.status === "success" && decimals?.status === "success"
      ? { symbol: symbol.result, decimals: decimals.result }
      : undefined;
  return {
    token: info,
    failed: details.isError || (details.isSuccess && !info),
    // A token without isTestNetwork is not the demo token: no faucet.
    faucet: testNetwork?.status === "success" && testNetwork.result === true,
    balance: balance.data,
    refetchBalance: () => void balance.refetch(),
  };
}
