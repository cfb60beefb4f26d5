// Stand-ins for viem modules the script tag never reaches: vite.config.ts (`unreachedViemFeatures`) puts this module
// in their place for the one import that brings each into the tag, and nowhere else. The bundler cannot tell these
// paths are dead; we can, and each stand-in throws, saying what was reached, if that ever stops being true (a value
// too: one passing for an empty list would let a reached path run on). Together they are 21 kB gzip of the tag.
//
// - `utils/ccip.js`, which `call` imports lazily on every reverted read, to tell a CCIP-Read (EIP-3668) offchain
//   lookup apart. No contract the tag reads (the channel manager, a deposit token) answers with one, so the tag keeps
//   the selector that `call` compares and drops the lookup, its gateway requests and ENS batch code.
// - `constants/contracts.js`, imported by `call` and `multicall`: the bytecode (13 kB of hex, which compresses
//   badly) of deployless calls (`call` with `code`, or `factory` and `factoryData`, as ERC-6492 verification uses) and
//   of deployless multicall (`batch.multicall.deployless`, or `multicall` with `deployless: true`). The tag calls
//   deployed contracts only and its clients set no such batch option; `call` and `multicall` use a constant only on
//   those paths, where the stand-in throws as soon as the bytecode is read.
// - `@noble/curves/secp256k1`, which `recoverPublicKey` imports lazily for `sendTransaction` to recover an EIP-7702
//   authorization's address when a transaction has no `to`. Every transaction the tag sends names its contract. The
//   tag signs with @noble/secp256k1 (the web-client's protocol/secp256k1), so @noble/curves stays out entirely.
// - `prepareTransactionRequest` and `sendRawTransaction`, which `sendTransaction` uses for local accounts only (fill
//   nonce, gas and fees, sign, send raw). The tag's client is always a browser wallet's (EIP-1193, a JSON-RPC
//   account: `eth_sendTransaction`), and a page cannot hand the tag a private key.

/** The `OffchainLookup(address,string[],bytes,bytes4,bytes)` error selector: viem's `offchainLookupSignature`. */
export const offchainLookupSignature = "0x556f1830";

/** Every stand-in ends here: loudly, naming what was reached, so a viem release that reaches it is seen at once. */
function unreached(what: string): never {
  throw new Error(
    `The micro-raiden script tag reached ${what}, which it does not carry (see widget/src/tag/unreachedViemFeatures.ts).`,
  );
}

/** A value that throws on any use: reading a property, spreading it, iterating it. */
function refusing<T extends object>(target: T, what: string): T {
  return new Proxy(target, { get: (_target, property) => unreached(`${what} (${String(property)} was asked for)`) });
}

/** Refuses: the tag does not follow CCIP-Read lookups. */
export async function offchainLookup(): Promise<never> {
  unreached("viem's CCIP-Read (EIP-3668) offchain lookup (offchainLookup)");
}

/** Throw on any use (concatenating, measuring or encoding the bytecode): the tag makes no deployless call. */
export const deploylessCallViaBytecodeBytecode: unknown = refusing({}, "viem's deployless call bytecode");
export const deploylessCallViaFactoryBytecode: unknown = refusing({}, "viem's deployless factory call bytecode");
export const multicall3Bytecode: unknown = refusing({}, "viem's deployless multicall bytecode");

/** Throws on any use. */
export const secp256k1: unknown = refusing({}, "@noble/curves' secp256k1");

/**
 * What `sendTransaction` spreads into its local-account request (`[...defaultParameters, 'sidecars']`, before it
 * calls `prepareTransactionRequest`): throws there, as the functions do, instead of passing for an empty list.
 */
export const defaultParameters: readonly string[] = refusing(
  [],
  "viem's local-account transactions (prepareTransactionRequest's defaultParameters)",
);

/** Refuses: the tag sends transactions through the browser wallet only. */
export async function prepareTransactionRequest(): Promise<never> {
  unreached("viem's local-account transactions (prepareTransactionRequest)");
}

/** Refuses: the tag sends transactions through the browser wallet only. */
export async function sendRawTransaction(): Promise<never> {
  unreached("viem's local-account transactions (sendRawTransaction)");
}
