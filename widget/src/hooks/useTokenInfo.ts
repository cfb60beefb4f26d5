import type { ChannelClient, PaymentRequirements } from "@micro-raiden/web-client";
import { demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { useChains, useConnection, useReadContract, useReadContracts } from "wagmi";
import type { TokenInfo } from "../format/formatTokenAmount.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";

export type UseTokenInfoReturnType = {
  /** Symbol and decimals, read from the token; undefined while loading or when they cannot be read. */
  token: TokenInfo | undefined;
  /** The token could not be read on the requirements' chain (not a token, or the chain cannot be reached). */
  failed: boolean;
  /** Why, when it failed: the read's error. */
  error: Error | null;
  /** Reads the token again (after a failure). */
  retry: () => void;
  /** Whether the token mints to anyone here (the demo token on local and test chains): a faucet. */
  faucet: boolean;
  /** The reader's token balance, when connected. */
  balance: bigint | undefined;
  refetchBalance: () => void;
};

/**
 * What the paywall shows about the token: symbol and decimals (never base units), faucet, the reader's balance.
 * Read over the wagmi config's transport for the chain; for a chain the config does not know, through the
 * reader's wallet once it is on that chain.
 */
export function useTokenInfo(
  requirements: PaymentRequirements,
  reader: Address | undefined,
  /** Symbol and decimals the page already says (the receiver's 402 page does): shown until, or unless, read. */
  known?: TokenInfo | undefined,
): UseTokenInfoReturnType {
  const configured = useChains().some((chain) => chain.id === requirements.chainId);
  const fromConfig = useTokenInfoFromConfig(requirements, reader, configured);
  const fromWallet = useTokenInfoFromWallet(requirements, reader, !configured);
  const info = configured ? fromConfig : fromWallet;
  return { ...info, token: info.token ?? known };
}

function useTokenInfoFromConfig(
  requirements: PaymentRequirements,
  reader: Address | undefined,
  enabled: boolean,
): UseTokenInfoReturnType {
  const token = { address: requirements.token, abi: demoTokenAbi, chainId: requirements.chainId } as const;
  const details = useReadContracts({
    contracts: [
      { ...token, functionName: "symbol" },
      { ...token, functionName: "decimals" },
      { ...token, functionName: "isTestNetwork" },
    ],
    query: { enabled, staleTime: Number.POSITIVE_INFINITY, retry: 1 },
  });
  const balance = useReadContract({
    ...token,
    functionName: "balanceOf",
    args: reader ? [reader] : undefined,
    query: { enabled: enabled && Boolean(reader), refetchInterval: 4000 },
  });
  const [symbol, decimals, testNetwork] = details.data ?? [];
  const info =
    symbol?.status === "success" && decimals?.status === "success"
      ? { symbol: symbol.result, decimals: decimals.result }
      : undefined;
  return {
    token: info,
    failed: details.isError || (details.isSuccess && !info),
    error: details.error ?? (details.isSuccess && !info ? (symbol?.error ?? decimals?.error ?? null) : null),
    retry: () => void details.refetch(),
    // A token without isTestNetwork is not the demo token: no faucet.
    faucet: testNetwork?.status === "success" && testNetwork.result === true,
    balance: balance.data,
    refetchBalance: () => void balance.refetch(),
  };
}

function useTokenInfoFromWallet(
  requirements: PaymentRequirements,
  reader: Address | undefined,
  enabled: boolean,
): UseTokenInfoReturnType {
  const { client } = useWidgetContext();
  const { chainId } = useConnection();
  const onChain = enabled && Boolean(client) && chainId === requirements.chainId;
  const read = (c: ChannelClient) => ({
    symbol: () =>
      readContract(c.publicClient, { address: requirements.token, abi: demoTokenAbi, functionName: "symbol" }),
    decimals: () =>
      readContract(c.publicClient, { address: requirements.token, abi: demoTokenAbi, functionName: "decimals" }),
    faucet: () =>
      readContract(c.publicClient, {
        address: requirements.token,
        abi: demoTokenAbi,
        functionName: "isTestNetwork",
      }).catch(() => false),
  });
  const details = useQuery({
    queryKey: ["micro-raiden", "token-via-wallet", requirements.chainId, requirements.token],
    enabled: onChain,
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
    queryFn: async () => {
      if (!client) throw new Error("No wallet to read the token through.");
      const token = read(client);
      const [symbol, decimals, faucet] = await Promise.all([token.symbol(), token.decimals(), token.faucet()]);
      return { token: { symbol, decimals }, faucet };
    },
  });
  const balance = useQuery({
    queryKey: ["micro-raiden", "balance-via-wallet", requirements.chainId, requirements.token, reader],
    enabled: onChain && Boolean(reader),
    refetchInterval: 4000,
    queryFn: () => {
      if (!client || !reader) throw new Error("No reader to read the balance of.");
      return readContract(client.publicClient, {
        address: requirements.token,
        abi: demoTokenAbi,
        functionName: "balanceOf",
        args: [reader],
      });
    },
  });
  return {
    token: details.data?.token,
    failed: details.isError,
    error: details.error,
    retry: () => void details.refetch(),
    faucet: details.data?.faucet ?? false,
    balance: balance.data,
    refetchBalance: () => void balance.refetch(),
  };
}
