import type { Address } from "viem";

/**
 * The deployment names a channel manager that is not a genuine `ChannelManager` (no code, other code, a challenge
 * period out of bounds, or another token than the deployment's): the receiver refuses to start rather than ask
 * readers to deposit into it. The message is one line naming the address.
 */
export class UntrustedManagerError extends Error {
  override name = "UntrustedManagerError" as const;
  readonly address: Address;
  readonly reason: string;
  constructor({ address, chainId, reason }: { address: Address; chainId: number; reason: string }) {
    super(`the deployment's channel manager ${address} on chain ${chainId} is not a genuine ChannelManager: ${reason}`);
    this.address = address;
    this.reason = reason;
  }
}
