import type { Address } from "viem";
import { BaseError } from "../protocol/BaseError.ts";

/**
 * The contract named as the channel manager is not a genuine `ChannelManager` (its runtime code is not ours, or its
 * deployment values are not what a genuine deployment has) and it is not in the client's `trustedManagers`. Nothing
 * was signed or sent: depositing into it could hand the deposit to whoever wrote it.
 *
 * @example
 * import { UntrustedChannelManagerError } from "@micro-raiden/web-client";
 * if (error instanceof UntrustedChannelManagerError) console.log(error.address, error.reason);
 */
export class UntrustedChannelManagerError extends BaseError {
  override name = "UntrustedChannelManagerError" as const;
  readonly address: Address;
  readonly chainId: number;
  /** What gave it away: no code, other code, or a deployment value out of place. */
  readonly reason: string;
  constructor({ address, chainId, reason }: { address: Address; chainId: number; reason: string }) {
    super(`${address} on chain ${chainId} is not a genuine channel manager: ${reason}.`, {
      metaMessages: ["Only deposit into a manager you trust; an app can list its own in `trustedManagers`."],
    });
    this.address = address;
    this.chainId = chainId;
    this.reason = reason;
  }
}

export type UntrustedChannelManagerErrorType = UntrustedChannelManagerError & { name: "UntrustedChannelManagerError" };
