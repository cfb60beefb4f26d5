// Parsers for the values that travel in headers. Each takes the raw header value and either returns it typed
// (amounts as bigint, addresses checksummed) or throws MalformedHeaderError naming the header.
import { type Address, getAddress, type Hex, isAddress, maxUint256 } from "viem";
import { maxHeaderValueLength } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";

const decimal = /^(0|[1-9][0-9]*)$/;
const hexAddress = /^0x[0-9a-fA-F]{40}$/;
const hexSignature = /^0x[0-9a-fA-F]{130}$/;
/** Half the secp256k1 group order: a signature with a larger s is the malleated twin of a valid one. */
const halfN = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export const maxUint64 = 2n ** 64n - 1n;

function fail(header: string, reason: string): never {
  throw new MalformedHeaderError({ header, reason });
}

/** Fetch joins repeated headers with ", ", which no value of ours contains: a comma means a duplicated header. */
function checkShape(header: string, value: string) {
  if (value.length > maxHeaderValueLength) fail(header, `longer than ${maxHeaderValueLength} characters`);
  if (value.includes(",")) fail(header, "given more than once");
}

/**
 * An unsigned integer in canonical decimal (no sign, no leading zeros, no exponent), at most `max`.
 *
 * @example
 * import { parseUint } from "@micro-raiden/web-client/protocol";
 * const balance = parseUint("balance", "1000000000000000"); // 1000000000000000n
 */
export function parseUint(header: string, value: string, max: bigint = maxUint256): bigint {
  checkShape(header, value);
  if (!decimal.test(value)) fail(header, "must be an unsigned decimal integer");
  const parsed = BigInt(value);
  if (parsed > max) fail(header, `must be at most ${max}`);
  return parsed;
}

/**
 * A chain id: a positive integer that fits a JavaScript number.
 *
 * @example
 * import { parseChainId } from "@micro-raiden/web-client/protocol";
 * const chainId = parseChainId("RDN-Chain-Id", "31337"); // 31337
 */
export function parseChainId(header: string, value: string): number {
  const parsed = parseUint(header, value, BigInt(Number.MAX_SAFE_INTEGER));
  if (parsed === 0n) fail(header, "must be positive");
  return Number(parsed);
}

/**
 * A 20-byte hex address, all-lowercase or with a valid EIP-55 checksum. Returned checksummed.
 *
 * @example
 * import { parseAddress } from "@micro-raiden/web-client/protocol";
 * const sender = parseAddress("sender", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
 */
export function parseAddress(header: string, value: string): Address {
  const known = parsedAddresses.get(value);
  if (known) return known;
  checkShape(header, value);
  if (!hexAddress.test(value)) fail(header, "must be a 0x-prefixed 20-byte hex address");
  if (!isAddress(value, { strict: true })) fail(header, "has an invalid EIP-55 checksum");
  const address = getAddress(value);
  if (parsedAddresses.size >= parsedAddressesLimit) parsedAddresses.clear();
  parsedAddresses.set(value, address);
  return address;
}

// Valid addresses seen, as given → checksummed. A receiver parses the same contract, receiver and senders in every
// paid request, and viem's checksum checks (a Keccak and cache bookkeeping, twice per address) were 5% of its CPU
// per payment. Bounded: emptied when full.
const parsedAddresses = new Map<string, Address>();
const parsedAddressesLimit = 10_000;

/**
 * Why a signature is not one the contract accepts, or undefined when it is.
 *
 * @example
 * import { signatureDefect } from "@micro-raiden/web-client/protocol";
 * const why = signatureDefect(signature); // undefined when the contract accepts it
 */
export function signatureDefect(value: string): string | undefined {
  if (!hexSignature.test(value)) return "must be a 0x-prefixed 65-byte hex signature";
  if (BigInt(`0x${value.slice(66, 130)}`) > halfN) return "has a high s value (malleable signature)";
  const v = Number.parseInt(value.slice(130, 132), 16);
  if (v !== 27 && v !== 28) return "must have a v of 27 or 28";
  return undefined;
}

/**
 * A 65-byte secp256k1 signature (r, s, v) with v of 27 or 28 and a low s, as the contract accepts.
 *
 * @example
 * import { parseSignature } from "@micro-raiden/web-client/protocol";
 * const signature = parseSignature("balance_signature", body.balance_signature);
 */
export function parseSignature(header: string, value: string): Hex {
  checkShape(header, value);
  const defect = signatureDefect(value);
  if (defect) fail(header, defect);
  return `0x${value.slice(2).toLowerCase()}`;
}

/**
 * A balance signature as the receiver holds it: a 65-byte signature ({@link parseSignature}), or a delegated one of
 * 150 bytes, proof (65) ‖ signer (20) ‖ the sender's delegation (65), each signature in the form the contract accepts.
 *
 * @example
 * import { parseBalanceSignature } from "@micro-raiden/web-client/protocol";
 * const signature = parseBalanceSignature("RDN-Balance-Signature", echoed);
 */
export function parseBalanceSignature(header: string, value: string): Hex {
  if (value.length !== delegatedSignatureHexLength) return parseSignature(header, value);
  checkShape(header, value);
  if (!/^0x[0-9a-fA-F]{300}$/.test(value)) fail(header, "must be a 0x-prefixed 65-byte or 150-byte hex signature");
  const defect = signatureDefect(value.slice(0, 132)) ?? signatureDefect(`0x${value.slice(172)}`);
  if (defect) fail(header, `delegated: ${defect}`);
  return `0x${value.slice(2).toLowerCase()}`;
}

/** 0x and 150 bytes: proof ‖ signer ‖ delegation. */
const delegatedSignatureHexLength = 2 + 150 * 2;

/**
 * A gateway path: an absolute URL path of at most 128 plain characters.
 *
 * @example
 * import { parsePath } from "@micro-raiden/web-client/protocol";
 * const gatewayPath = parsePath("RDN-Gateway-Path", "/api/1");
 */
export function parsePath(header: string, value: string): string {
  checkShape(header, value);
  if (!/^\/[A-Za-z0-9\-._~/]{0,127}$/.test(value)) fail(header, "must be an absolute path");
  return value;
}
