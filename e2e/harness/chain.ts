// What the chain says, read straight from the node the specs share: token balances, a channel's on-chain record,
// and the few test-node controls the journeys need (funding a fresh reader, mining blocks).
import { channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { type Address, createPublicClient, createTestClient, createWalletClient, http } from "viem";
import type { LocalAccount } from "viem/accounts";
import { readWorld } from "./world.ts";

const world = readWorld();
const transport = http(world.rpcUrl);
export const publicClient = createPublicClient({ transport });
const testClient = createTestClient({ mode: "hardhat", transport });

export function tokenBalance(address: Address): Promise<bigint> {
  return publicClient.readContract({
    address: world.deployment.token,
    abi: demoTokenAbi,
    functionName: "balanceOf",
    args: [address],
  });
}

/** The channel as the contract stores it; `deposit` is 0 once it was settled (the record is gone). */
export async function channelOnChain(sender: Address, receiver: Address, openBlock: bigint) {
  const [, deposit, withdrawn, settleBlock, closingBalance] = await publicClient.readContract({
    address: world.deployment.channelManager,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [sender, receiver, openBlock],
  });
  return { deposit, withdrawn, settleBlock, closingBalance };
}

/**
 * Gives a fresh account `tokens` demo tokens (it mints them itself: the demo token lets anyone mint on a test chain,
 * and each reader sending its own transaction keeps parallel workers off each other's nonces) and then `eth`.
 */
export async function fund(account: LocalAccount, amounts: { eth: bigint; tokens: bigint }): Promise<void> {
  await testClient.setBalance({ address: account.address, value: 10n ** 18n });
  if (amounts.tokens > 0n) {
    const wallet = createWalletClient({ account, transport });
    const hash = await wallet.writeContract({
      chain: null,
      address: world.deployment.token,
      abi: demoTokenAbi,
      functionName: "mint",
      args: [account.address, amounts.tokens],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  await testClient.setBalance({ address: account.address, value: amounts.eth });
}

/** Mines `blocks` empty blocks at once. */
export async function mine(blocks: number): Promise<void> {
  await testClient.mine({ blocks });
}

/** The channel's ChannelSettled event (what each side was paid when it ended), or undefined while it has not. */
export async function settlement(sender: Address, receiver: Address, openBlock: bigint) {
  const logs = await publicClient.getContractEvents({
    address: world.deployment.channelManager,
    abi: channelManagerAbi,
    eventName: "ChannelSettled",
    args: { sender, receiver },
    fromBlock: openBlock,
  });
  return logs.find((log) => log.args.openBlock === openBlock)?.args;
}

/** Turns the node's automine off (transactions wait in its pool until `mine`) or back on. */
export async function setAutomine(enabled: boolean): Promise<void> {
  await testClient.setAutomine(enabled);
}
