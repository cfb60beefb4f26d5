import { channelManagerRuntimeCode, type Deployment, parseDeployment } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  concat,
  encodeAbiParameters,
  getAddress,
  getContractAddress,
  type Hex,
  type PublicClient,
  type WalletClient,
  zeroHash,
} from "viem";
import { assertGenuineManager } from "../chain/assertGenuineManager.ts";
import { channelManagerCreationCode } from "../chain/channelManagerCreationCode.ts";
import { type DeployProgress, deterministicDeployer, ensureDeterministicDeployer } from "./deterministicDeployer.ts";
import { hasCode } from "./hasCode.ts";

/**
 * The challenge period `deploy` uses unless told otherwise, in blocks: the shortest the contract allows. Part of the
 * address, so everyone who keeps the default shares one manager per token.
 */
export const defaultChallengePeriod = channelManagerRuntimeCode.challengePeriod.min;

/** The CREATE2 salt: always zero, so the address depends on the code and constructor arguments alone. */
const salt = zeroHash;

export type ChannelManagerTerms = { token: Address; challengePeriod?: number | undefined };

/** The manager's creation code with its constructor arguments: what a plain deployment would send. */
export function channelManagerInitCode({ token, challengePeriod = defaultChallengePeriod }: ChannelManagerTerms): Hex {
  const args = encodeAbiParameters([{ type: "address" }, { type: "uint64" }], [token, BigInt(challengePeriod)]);
  return concat([channelManagerCreationCode, args]);
}

/**
 * Where this build's ChannelManager for `token` is, or will be once deployed, on every chain that has the
 * deterministic deployment proxy.
 *
 * @example
 * import { channelManagerAddress } from "@micro-raiden/receiver";
 * channelManagerAddress({ token: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" }); // USDC on Base
 */
export function channelManagerAddress(terms: ChannelManagerTerms): Address {
  return getContractAddress({
    opcode: "CREATE2",
    from: deterministicDeployer.address,
    salt,
    bytecode: channelManagerInitCode(terms),
  });
}

/** The call to the deterministic deployment proxy that deploys the manager. */
export function channelManagerDeployCall(terms: ChannelManagerTerms): { to: Address; data: Hex } {
  return { to: deterministicDeployer.address, data: concat([salt, channelManagerInitCode(terms)]) };
}

export type DeployedChannelManager = {
  deployment: Deployment;
  /** False when the manager was already there and nothing was sent. */
  deployed: boolean;
  /** The deployment transaction's gas, when this call sent it. */
  gasUsed?: bigint | undefined;
};

/**
 * Deploys the ChannelManager for a token through the deterministic deployment proxy (placing the proxy first on a
 * chain that lacks it), or finds it already there and sends nothing. Returns the deployment file's contents.
 */
export async function deployChannelManager(parameters: {
  publicClient: PublicClient;
  walletClient: WalletClient;
  token: Address;
  challengePeriod?: number | undefined;
  progress?: DeployProgress | undefined;
}): Promise<DeployedChannelManager> {
  const { publicClient, walletClient } = parameters;
  const progress = parameters.progress ?? (() => {});
  const token = getAddress(parameters.token);
  const challengePeriod = parameters.challengePeriod ?? defaultChallengePeriod;
  const chainId = await publicClient.getChainId();
  const address = channelManagerAddress({ token, challengePeriod });
  const record = (deploymentBlock: bigint) =>
    parseDeployment({
      chainId,
      channelManager: address,
      token,
      deploymentBlock: Number(deploymentBlock),
      challengePeriod,
    });

  if (await hasCode(publicClient, address)) {
    progress(`The channel manager for ${token} is already at ${address} on chain ${chainId}: nothing to deploy.`);
    const deployment = record(await findDeploymentBlock(publicClient, address, progress));
    await assertGenuineManager(publicClient, deployment);
    return { deployment, deployed: false };
  }
  if (!(await hasCode(publicClient, token))) throw new Error(`There is no contract at ${token} on chain ${chainId}.`);
  await ensureDeterministicDeployer({ publicClient, walletClient, progress });
  const account = walletClient.account;
  if (!account) throw new Error("The wallet has no account to deploy with.");
  progress(`Deploying the channel manager for ${token} (challenge period ${challengePeriod} blocks) to ${address}`);
  const hash = await walletClient.sendTransaction({
    account,
    chain: walletClient.chain ?? null,
    ...channelManagerDeployCall({ token, challengePeriod }),
  });
  progress(`  transaction ${hash} sent, waiting for it to be mined`);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !(await hasCode(publicClient, address))) {
    throw new Error(`Deploying the channel manager failed (${hash}).`);
  }
  progress(`  mined in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`);
  const deployment = record(receipt.blockNumber);
  await assertGenuineManager(publicClient, deployment);
  return { deployment, deployed: true, gasUsed: receipt.gasUsed };
}

/**
 * The first block with code at `address` (a binary search over past states). A node that keeps no old state cannot
 * say: then the latest block, which misses no channel to a receiver key made since.
 */
async function findDeploymentBlock(
  publicClient: PublicClient,
  address: Address,
  progress: DeployProgress,
): Promise<bigint> {
  const latest = await publicClient.getBlockNumber();
  try {
    let low = 0n;
    let high = latest;
    while (low < high) {
      const middle = (low + high) / 2n;
      if (await hasCode(publicClient, address, middle)) high = middle;
      else low = middle + 1n;
    }
    return low;
  } catch {
    progress(`  the node keeps no old state: the receiver will read the chain from block ${latest}`);
    return latest;
  }
}
