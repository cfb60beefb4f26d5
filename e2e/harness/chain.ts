// What the chain says, read straight from the node the specs share: token balances, a channel's on-chain record,
// and the few test-node controls the journeys need (funding a fresh reader, mining blocks). The token is the journeys'
// USDC unless a spec names the demo token.
import { HARDHAT_MNEMONIC } from "@micro-raiden/contracts/deploy";
import { channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { type Address, createPublicClient, createTestClient, createWalletClient, erc20Abi, http } from "viem";
import { type LocalAccount, mnemonicToAccount } from "viem/accounts";
import { readWorld } from "./world.ts";

const world = readWorld();
const transport = http(world.rpcUrl);
export const publicClient = createPublicClient({ transport });
const testClient = createTestClient({ mode: "hardhat", transport });

export function tokenBalance(address: Address, token: Address = world.deployment.token): Promise<bigint> {
  return publicClient.readContract({
    address: token,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [address],
  });
}

/**
 * The channel as the contract stores it; `deposit` is 0 once it was settled (the record is gone). `manager`: default
 * the journeys' (USDC's).
 */
export async function channelOnChain(
  sender: Address,
  receiver: Address,
  openBlock: bigint,
  manager: Address = world.deployment.channelManager,
) {
  const [, deposit, withdrawn, settleBlock, closingBalance] = await publicClient.readContract({
    address: manager,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [sender, receiver, openBlock],
  });
  return { deposit, withdrawn, settleBlock, closingBalance };
}

/**
 * The deployer: USDC's minter (configured through its MasterMinter) and the demo token's owner. Its key is one of the
 * node's own accounts, so the node signs its transactions and gives each the next nonce: readers funded at once by
 * parallel workers never take the same one.
 */
const minter = createWalletClient({ account: mnemonicToAccount(HARDHAT_MNEMONIC).address, transport });

/** Gives a fresh account `eth` and `tokens` of `token` (base units; default the journeys' USDC), minted for it. */
export async function fund(
  account: LocalAccount,
  amounts: { eth: bigint; tokens: bigint },
  token: Address = world.deployment.token,
): Promise<void> {
  await testClient.setBalance({ address: account.address, value: amounts.eth });
  if (amounts.tokens === 0n) return;
  const hash = await minter.writeContract({
    chain: null,
    address: token,
    // mint(address,uint256) is the same call on both tokens (USDC's returns a bool, which a transaction drops).
    abi: demoTokenAbi,
    functionName: "mint",
    args: [account.address, amounts.tokens],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`Minting for ${account.address} reverted (${hash}).`);
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
