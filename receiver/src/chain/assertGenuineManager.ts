import { type Deployment, inspectChannelManagerCode } from "@micro-raiden/web-client/protocol";
import { isAddressEqual, type PublicClient } from "viem";
import { UntrustedManagerError } from "./UntrustedManagerError.ts";

/**
 * Checks, before the receiver starts, that the deployment's channel manager is a genuine `ChannelManager` holding
 * the deployment's token: the same check a reader's client makes before its first deposit, so a receiver never
 * advertises in its 402s a contract its readers would refuse (or, with a doctored deployment file, one that keeps
 * deposits). Throws {@link UntrustedManagerError}.
 */
export async function assertGenuineManager(publicClient: PublicClient, deployment: Deployment): Promise<void> {
  const { channelManager: address, chainId } = deployment;
  const inspection = inspectChannelManagerCode({ code: await publicClient.getCode({ address }), address, chainId });
  if (!inspection.genuine) throw new UntrustedManagerError({ address, chainId, reason: inspection.reason });
  if (!isAddressEqual(inspection.token, deployment.token)) {
    throw new UntrustedManagerError({
      address,
      chainId,
      reason: `it holds deposits in ${inspection.token}, not in the deployment's token ${deployment.token}`,
    });
  }
}
