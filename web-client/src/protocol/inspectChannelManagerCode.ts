import {
  type Address,
  bytesToHex,
  decodeAbiParameters,
  domainSeparator,
  getAddress,
  type Hex,
  hexToBytes,
  isAddressEqual,
  keccak256,
  zeroHash,
} from "viem";
import { channelManagerRuntimeCode } from "./channelManagerRuntimeCode.ts";
import { getDomain } from "./typedData.ts";

/** What the runtime code at an address says: a genuine manager and the values it was deployed with, or why not. */
export type ChannelManagerCodeInspection =
  | { genuine: true; token: Address; challengePeriod: bigint }
  | { genuine: false; reason: string };

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

/**
 * Tells from `eth_getCode` whether `address` holds a genuine `ChannelManager` deployed on `chainId`, following
 * {@link channelManagerRuntimeCode}: our code with the per-deployment immutables masked, a challenge period within
 * the contract's bounds, and the address, chain id and EIP-712 domain the constructor caches equal to this
 * deployment's own (copied code or another chain's deployment has others). Checking the token against what was
 * expected is the caller's part: it is returned.
 *
 * @example
 * import { inspectChannelManagerCode } from "@micro-raiden/web-client/protocol";
 * const code = await publicClient.getCode({ address });
 * const inspection = inspectChannelManagerCode({ code, address, chainId: 31337 });
 * if (!inspection.genuine) throw new Error(`${address}: ${inspection.reason}`);
 */
export function inspectChannelManagerCode(parameters: {
  code: Hex | undefined;
  address: Address;
  chainId: number;
}): ChannelManagerCodeInspection {
  const { code, address, chainId } = parameters;
  const refuse = (reason: string) => ({ genuine: false, reason }) as const;
  if (!code || code === "0x") return refuse("it has no code (an account, or nothing deployed there)");
  const bytes = hexToBytes(code);
  if (bytes.length !== channelManagerRuntimeCode.byteLength) return refuse("its code is not ChannelManager's");
  const words = takeImmutables(bytes);
  if (!words || keccak256(bytes) !== channelManagerRuntimeCode.maskedCodeHash) {
    return refuse("its code is not ChannelManager's");
  }
  // The hash matched, so every word below exists; `?? zeroHash` only satisfies the type checker.
  const word = (name: keyof typeof channelManagerRuntimeCode.immutables): Hex => words.get(name) ?? zeroHash;
  const [challengePeriod] = decodeAbiParameters([{ type: "uint64" }], word("challengePeriod"));
  const { min, max } = channelManagerRuntimeCode.challengePeriod;
  if (challengePeriod < BigInt(min) || challengePeriod > BigInt(max)) {
    return refuse(`its challenge period of ${challengePeriod} blocks is outside ${min}..${max}`);
  }
  // Our code, but placed where the constructor did not run for this address and chain: a genuine deployment always
  // caches its own address, chain id and EIP-712 domain.
  const [cachedThis] = decodeAbiParameters([{ type: "address" }], word("cachedThis"));
  const [cachedChainId] = decodeAbiParameters([{ type: "uint256" }], word("cachedChainId"));
  const domain = domainSeparator({ domain: getDomain({ chainId, contract: address }) });
  if (
    !isAddressEqual(cachedThis, address) ||
    cachedChainId !== BigInt(chainId) ||
    word("cachedDomainSeparator") !== domain
  ) {
    return refuse("its code was not deployed at this address on this chain");
  }
  const [token] = decodeAbiParameters([{ type: "address" }], word("token"));
  return { genuine: true, token: getAddress(token), challengePeriod };
}
