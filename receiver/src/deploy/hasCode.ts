import type { Address, PublicClient } from "viem";

/** Whether `address` holds a contract (at `blockNumber`, default the latest block). */
export async function hasCode(publicClient: PublicClient, address: Address, blockNumber?: bigint): Promise<boolean> {
  const code = await publicClient.getCode(blockNumber === undefined ? { address } : { address, blockNumber });
  return code !== undefined && code !== "0x";
}
