import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Deployment } from "@micro-raiden/web-client/protocol";
import { type Address, formatEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deployChannelManager } from "../deploy/deployChannelManager.ts";
import { chainClients } from "./chainClients.ts";

/**
 * `micro-raiden-server deploy`: the channel manager for a token through the deterministic deployment proxy (or the
 * one already there), and the deployment file the receiver reads. Prints each transaction as it is sent and mined.
 */
export async function deployCommand(parameters: {
  rpcUrl: string;
  token: Address;
  privateKey: Hex;
  challengePeriod?: number | undefined;
  /** Where the deployment file goes. */
  out: string;
  print: (line: string) => void;
}): Promise<Deployment> {
  const { print } = parameters;
  const account = privateKeyToAccount(parameters.privateKey);
  const { chainId, publicClient, walletClient } = await chainClients(parameters.rpcUrl, account);
  print(`Chain ${chainId} at ${parameters.rpcUrl}; deployer ${account.address}`);
  const before = await publicClient.getBalance({ address: account.address });
  const { deployment, deployed, gasUsed } = await deployChannelManager({
    publicClient,
    walletClient,
    token: parameters.token,
    challengePeriod: parameters.challengePeriod,
    progress: print,
  });
  if (deployed) {
    const spent = before - (await publicClient.getBalance({ address: account.address }));
    print(`Deployed: gas used ${gasUsed}, ${formatEther(spent)} ETH spent in all.`);
  }
  await mkdir(dirname(parameters.out), { recursive: true });
  await writeFile(parameters.out, `${JSON.stringify(deployment, null, 2)}\n`);
  print(`Channel manager ${deployment.channelManager} (from block ${deployment.deploymentBlock})`);
  print(`Deployment file written to ${parameters.out}`);
  return deployment;
}
