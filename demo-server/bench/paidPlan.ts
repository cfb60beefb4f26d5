// The paid load of bench:server: channels opened on the test chain and every request's balance proof signed ahead,
// so signing does not slow the load generator.
import type { TestChain } from "@micro-raiden/contracts/testing";
import {
  balanceProofTypedData,
  channelManagerAbi,
  type Deployment,
  demoTokenAbi,
  encodePaymentHeaders,
} from "@micro-raiden/web-client/protocol";
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

/** One request of the load: a path and its payment headers (load.ts sends them). */
export type PlannedRequest = { path: string; headers: Record<string, string> };

/**
 * Opens `senders` channels of 1 token each to `receiver` (fresh accounts, funded and minted) and signs `perSender`
 * payments of `price` on each, for `path`: one list of requests per sender, in order.
 */
export async function paidPlan(parameters: {
  chain: TestChain;
  receiver: Address;
  senders: number;
  perSender: number;
  price: bigint;
  path: string;
}): Promise<PlannedRequest[][]> {
  const { chain, receiver, price } = parameters;
  const { deployment } = chain;
  const transport = http(chain.rpcUrl);
  const publicClient = createPublicClient({ transport });
  console.log(`Opening ${parameters.senders} channels…`);
  const senders = Array.from({ length: parameters.senders }, () => privateKeyToAccount(generatePrivateKey()));
  for (const sender of senders) {
    await chain.testClient.setBalance({ address: sender.address, value: parseEther("10") });
    await chain.mint(sender.address, parseEther("10"));
  }
  const channels = await Promise.all(
    senders.map(async (sender) => {
      const hash = await createWalletClient({ account: sender, transport }).writeContract({
        chain: null,
        address: deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [deployment.channelManager, parseEther("1"), encodePacked(["address"], [receiver])],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
      if (!created) throw new Error("no channel");
      return { sender, openBlock: created.args.openBlock };
    }),
  );
  console.log(`Signing ${parameters.senders * parameters.perSender} balance proofs…`);
  return signProofPlan({ channels, receiver, deployment, price, count: parameters.perSender, path: parameters.path });
}

/**
 * For each channel, `count` paid requests of `path` whose cumulative balances are price, 2 × price, …, count × price
 * (channels opened some other way: the `--exact` run's on USDC).
 */
export function signProofPlan(parameters: {
  channels: readonly { sender: LocalAccount; openBlock: bigint }[];
  receiver: Address;
  deployment: Deployment;
  price: bigint;
  count: number;
  path: string;
}): Promise<PlannedRequest[][]> {
  const { deployment, receiver, price } = parameters;
  const domain = { chainId: deployment.chainId, contract: deployment.channelManager };
  return Promise.all(
    parameters.channels.map(async ({ sender, openBlock }) => {
      const plan: PlannedRequest[] = [];
      for (let i = 1; i <= parameters.count; i++) {
        const message = { sender: sender.address, receiver, openBlock, balance: price * BigInt(i) };
        const signature = await sender.signTypedData(balanceProofTypedData(domain, message));
        plan.push({
          path: parameters.path,
          headers: encodePaymentHeaders({ ...message, contract: deployment.channelManager, signature }),
        });
      }
      return plan;
    }),
  );
}
