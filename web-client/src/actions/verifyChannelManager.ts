import {
  type Address,
  bytesToHex,
  decodeAbiParameters,
  domainSeparator,
  type GetCodeErrorType,
  getAddress,
  type Hex,
  hexToBytes,
  isAddressEqual,
  keccak256,
  zeroHash,
} from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import {
  UntrustedChannelManagerError,
  type UntrustedChannelManagerErrorType,
} from "../errors/UntrustedChannelManagerError.ts";
import { channelManagerRuntimeCode, getDomain } from "../protocol/index.ts";

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
export type VerifyChannelManagerErrorType = UntrustedChannelManagerErrorType | GetCodeErrorType;

/**
 * Genuine answers per client, by chain and address (in flight ones included, so two opens read the code once).
 * Memory is enough: a genuine manager has no `selfdestruct` and no `delegatecall`, so the code at a verified address
 * never changes, and a new page or process pays one `eth_getCode` again. Refusals are not kept: an address may get
 * code later, and asking again costs one call only for a deposit that would otherwise be refused.
 */
const verified = new WeakMap<ChannelClient, Map<string, Promise<VerifyChannelManagerReturnType>>>();

/**
 * Each per-deployment immutable's 32-byte word, taken out of `bytes` (which are left with zeros there); undefined
 * when the copies of one immutable disagree, which our compiler output never has.
 */
function takeImmutables(bytes: Uint8Array): Map<string, Hex> | undefined {
  const words = new Map<string, Hex>();
  for (const [name, { offsets }] of Object.entries(channelManagerRuntimeCode.immutables)) {
    const copies = new Set(offsets.map((offset) => bytesToHex(bytes.subarray(offset, offset + 32))));
    const [word] = copies;
    if (copies.size !== 1 || word === undefined) return undefined;
    words.set(name, word);
    for (const offset of offsets) bytes.fill(0, offset, offset + 32);
  }
  return words;
}

/** Why `code` at `address` is not a genuine manager on this chain, or the values it was deployed with. */
function inspect(
  code: Hex | undefined,
  address: Address,
  chainId: number,
): string | { token: Address; challengePeriod: bigint } {
  if (!code || code === "0x") return "it has no code (an account, or nothing deployed there)";
  const bytes = hexToBytes(code);
  if (bytes.length !== channelManagerRuntimeCode.byteLength) return "its code is not ChannelManager's";
  const words = takeImmutables(bytes);
  if (!words || keccak256(bytes) !== channelManagerRuntimeCode.maskedCodeHash)
    return "its code is not ChannelManager's";
  // The hash matched, so every word below exists; `?? zero` only satisfies the type checker.
  const word = (name: keyof typeof channelManagerRuntimeCode.immutables): Hex => words.get(name) ?? zeroHash;
  const [period] = decodeAbiParameters([{ type: "uint64" }], word("challengePeriod"));
  const { min, max } = channelManagerRuntimeCode.challengePeriod;
  if (period < BigInt(min) || period > BigInt(max)) {
    return `its challenge period of ${period} blocks is outside ${min}..${max}`;
  }
  // Our code, but placed where the constructor did not run for this address and chain (copied code, another
  // chain's deployment): a genuine deployment always caches its own address, chain id and EIP-712 domain.
  const [cachedThis] = decodeAbiParameters([{ type: "address" }], word("cachedThis"));
  const [cachedChainId] = decodeAbiParameters([{ type: "uint256" }], word("cachedChainId"));
  const expectedDomain = domainSeparator({ domain: getDomain({ chainId, contract: address }) });
  if (
    !isAddressEqual(cachedThis, address) ||
    cachedChainId !== BigInt(chainId) ||
    word("cachedDomainSeparator") !== expectedDomain
  ) {
    return "its code was not deployed at this address on this chain";
  }
  const [token] = decodeAbiParameters([{ type: "address" }], word("token"));
  return { token: getAddress(token), challengePeriod: period };
}

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
  const chainId = parameters.chainId ?? (await client.publicClient.getChainId());
  if (client.trustedManagers.some((trusted) => isAddressEqual(trusted, address))) {
    return { address, chainId, trustedBy: "allow-list", token: undefined, challengePeriod: undefined };
  }
  const cache = verified.get(client) ?? new Map<string, Promise<VerifyChannelManagerReturnType>>();
  verified.set(client, cache);
  const key = `${chainId}:${address}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = (async () => {
      const code = await client.publicClient.getCode({ address });
      const found = inspect(code, address, chainId);
      if (typeof found === "string") throw new UntrustedChannelManagerError({ address, chainId, reason: found });
      return { address, chainId, trustedBy: "code" as const, ...found };
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
