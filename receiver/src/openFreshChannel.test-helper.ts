// A reader of the tests on a real chain: a fresh key with gas and tokens that opens a channel to the receiver in one
// transaction (ERC-1363 transferAndCall), as a browser's first deposit does.
import assert from "node:assert/strict";
import type { TestChain } from "@micro-raiden/contracts/testing";
import { channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodePacked,
  http,
  type LocalAccount,
  parseEther,
  parseEventLogs,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

export type FreshChannel = { sender: LocalAccount; openBlock: bigint };

/** Opens a channel from a new sender to `receiver` with `deposit`. Mints as the deployer: call one at a time. */
export async function openFreshChannel(
  chain: TestChain,
  receiver: Address,
  deposit = parseEther("1"),
): Promise<FreshChannel> {
  const sender = privateKeyToAccount(generatePrivateKey());
  await chain.testClient.setBalance({ address: sender.address, value: parseEther("10") });
  await chain.mint(sender.address, deposit);
  const transport = http(chain.rpcUrl);
  const hash = await createWalletClient({ account: sender, transport }).writeContract({
    chain: null,
    address: chain.deployment.token,
    abi: demoTokenAbi,
    functionName: "transferAndCall",
    args: [chain.deployment.channelManager, deposit, encodePacked(["address"], [receiver])],
  });
  const receipt = await createPublicClient({ transport }).waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
  return { sender, openBlock: created?.args.openBlock ?? assert.fail("no channel") };
}
