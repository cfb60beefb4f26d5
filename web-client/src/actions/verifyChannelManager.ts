import {
  type Address,
  type GetAddressErrorType,
  type GetChainIdErrorType,
  type GetCodeErrorType,
  getAddress,
  isAddressEqual,
} from "viem";
import { getChainId, getCode } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import {
  UntrustedChannelManagerError,
  type UntrustedChannelManagerErrorType,
} from "../errors/UntrustedChannelManagerError.ts";
import { inspectChannelManagerCode } from "../protocol/index.ts";

export type VerifyChannelManagerParameters = {
  /** The contract a 402 or a deployment file names as the channel manager. */
  address: Address;
  /** The chain the client's public client reads. Defaults to asking it. */
  chainId?: number | undefined;
  /** The token the manager must hold deposits in (what the 402 names), when known. */
  token?: Address | undefined;
};
export type VerifyChannelManagerReturnType = {
  address: Address;
  chainId: number;
  /** How it was trusted: the app listed it, or its code is ours. */
  trustedBy: "allow-list" | "code";
  /** The manager's token and challenge period, read from its code (undefined when trusted by the allow-list). */
  token: Address | undefined;
  challengePeriod: bigint | undefined;
};
export type VerifyChannelManagerErrorType =
  | UntrustedChannelManagerErrorType
  | GetAddressErrorType
  | GetChainIdErrorType
  | GetCodeErrorType
  | ErrorType;

/**
 * Genuine answers per client, by chain and address (in flight ones included, so two opens read the code once).
 * Memory is enough: a genuine manager has no `selfdestruct` and no `delegatecall`, so the code at a verified address
 * never changes, and a new page or process pays one `eth_getCode` again. Refusals are not kept: an address may get
 * code later, and asking again costs one call only for a deposit that would otherwise be refused.
 */
const verified = new WeakMap<ChannelClient, Map<string, Promise<VerifyChannelManagerReturnType>>>();

/**
 * Checks that `address` is a genuine `ChannelManager` before anything is deposited into it: its runtime code
 * (`eth_getCode`) must be ours with the per-deployment immutables masked, its challenge period within the contract's
 * bounds, its cached address, chain id and EIP-712 domain this deployment's own, and its token the one expected.
 * An address in the client's `trustedManagers` passes without a look. Answers are cached per client, chain and
 * address. `openChannel` and `topUp` call it first; throws {@link UntrustedChannelManagerError} otherwise.
 *
 * @example
 * import { verifyChannelManager } from "@micro-raiden/web-client";
 * const { challengePeriod } = await verifyChannelManager(client, { address: requirements.contract, chainId: 31337 });
 */
export async function verifyChannelManager(
  client: ChannelClient,
  parameters: VerifyChannelManagerParameters,
): Promise<VerifyChannelManagerReturnType> {
  const address = getAddress(parameters.address);
  const chainId = parameters.chainId ?? (await getChainId(client.publicClient));
  if (client.trustedManagers.some((trusted) => isAddressEqual(trusted, address))) {
    return { address, chainId, trustedBy: "allow-list", token: undefined, challengePeriod: undefined };
  }
  const cache = verified.get(client) ?? new Map<string, Promise<VerifyChannelManagerReturnType>>();
  verified.set(client, cache);
  const key = `${chainId}:${address}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = (async () => {
      const code = await getCode(client.publicClient, { address });
      const inspection = inspectChannelManagerCode({ code, address, chainId });
      if (!inspection.genuine) {
        throw new UntrustedChannelManagerError({ address, chainId, reason: inspection.reason });
      }
      const { token, challengePeriod } = inspection;
      return { address, chainId, trustedBy: "code" as const, token, challengePeriod };
    })();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
  }
  const result = await answer;
  // The token is checked per call: one manager serves one token, and a 402 naming another is refused.
  if (parameters.token && result.token && !isAddressEqual(result.token, parameters.token)) {
    throw new UntrustedChannelManagerError({
      address,
      chainId,
      reason: `it holds deposits in ${result.token}, not in ${getAddress(parameters.token)}`,
    });
  }
  return result;
}
