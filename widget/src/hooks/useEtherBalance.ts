import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { getBalance } from "viem/actions";
import { useWidgetContext } from "../provider/WidgetContext.ts";

/**
 * The reader's ether on the wallet's current chain: what pays a transaction's network fee. Undefined while loading
 * or when it cannot be read. Re-read every few seconds, so ether the reader gets meanwhile is noticed.
 */
export function useEtherBalance(reader: Address, chainId: number): bigint | undefined {
  const { client } = useWidgetContext();
  const balance = useQuery({
    queryKey: ["micro-raiden", "ether-balance", chainId, reader.toLowerCase()],
    enabled: Boolean(client),
    refetchInterval: 5000,
    queryFn: () => {
      if (!client) throw new Error("No client to read the balance with.");
      return getBalance(client.publicClient, { address: reader });
    },
  });
  return balance.data;
}
