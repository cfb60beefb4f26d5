// The stored form of a channel and its validating parser. Every storage writes `serializeChannel`'s output and reads
// back through `parseStoredChannel`: a file or localStorage entry can be edited or corrupted, and a channel record
// holds a session key and the proof of what was paid, so nothing read back is trusted until it has been checked.
import type { Address, Hex } from "viem";
import { MalformedHeaderError } from "../protocol/MalformedHeaderError.ts";
import { maxUint64, parseAddress, parseSignature, parseUint } from "../protocol/wire.ts";
import type { AutoPayLimit, ChannelState, StoredChannel } from "./ChannelStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";

/**
 * A {@link StoredChannel} as JSON can hold it: amounts and blocks as decimal strings, absent optionals omitted.
 *
 * @example
 * import { type SerializedChannel, serializeChannel } from "@micro-raiden/web-client";
 * const stored: SerializedChannel = serializeChannel(channel); // { ..., balance: "5000", state: "open" }
 */
export type SerializedChannel = {
  chainId: number;
  contract: Address;
  token: Address;
  sender: Address;
  receiver: Address;
  openBlock: string;
  deposit: string;
  balance: string;
  balanceSignature?: Hex;
  delegatedSigner?: Address;
  sessionKey?: Hex;
  signerDelegation?: Hex;
  state: ChannelState;
  settleBlock?: string;
  autoPay?: { maxPrice: string; perMinute: number };
  autoPaidAt?: number[];
};

const states: readonly ChannelState[] = ["open", "closing", "closed"];
const hexPrivateKey = /^0x[0-9a-fA-F]{64}$/;
/** The secp256k1 group order: a private key must lie in [1, n - 1]. */
const secp256k1N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Turns a channel into a JSON-safe object: bigints become decimal strings (JSON numbers lose precision above 2^53)
 * and undefined optional fields are left out.
 *
 * @example
 * import { serializeChannel } from "@micro-raiden/web-client";
 * localStorage.setItem("my-channel", JSON.stringify(serializeChannel(channel)));
 */
export function serializeChannel(channel: StoredChannel): SerializedChannel {
  // String() rather than .toString(): a JavaScript caller's stray undefined or null then fails validation with
  // the field's name instead of a TypeError.
  const serialized: SerializedChannel = {
    chainId: channel.chainId,
    contract: channel.contract,
    token: channel.token,
    sender: channel.sender,
    receiver: channel.receiver,
    openBlock: String(channel.openBlock),
    deposit: String(channel.deposit),
    balance: String(channel.balance),
    state: channel.state,
  };
  if (channel.balanceSignature !== undefined) serialized.balanceSignature = channel.balanceSignature;
  if (channel.delegatedSigner !== undefined) serialized.delegatedSigner = channel.delegatedSigner;
  if (channel.sessionKey !== undefined) serialized.sessionKey = channel.sessionKey;
  if (channel.signerDelegation !== undefined) serialized.signerDelegation = channel.signerDelegation;
  if (channel.settleBlock !== undefined) serialized.settleBlock = String(channel.settleBlock);
  if (channel.autoPay !== undefined) {
    serialized.autoPay = { maxPrice: String(channel.autoPay.maxPrice), perMinute: channel.autoPay.perMinute };
  }
  if (channel.autoPaidAt !== undefined) serialized.autoPaidAt = [...channel.autoPaidAt];
  return serialized;
}

/**
 * Validates a stored channel (the parsed JSON of {@link serializeChannel}'s output) and returns it typed: amounts
 * and blocks as bigint, addresses checksummed, hex lowercased. A missing or null optional field reads as undefined;
 * unknown fields are ignored. Throws {@link InvalidStoredChannelError} naming the first bad field; `source`
 * (a file path, a storage key) goes into the message.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * import { parseStoredChannel } from "@micro-raiden/web-client";
 * const channel = parseStoredChannel(JSON.parse(await readFile("channel.json", "utf8")), "channel.json");
 */
export function parseStoredChannel(input: unknown, source?: string): StoredChannel {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw invalid("(root)", "must be a JSON object", source);
  }
  const field = (name: keyof SerializedChannel) => new StoredField(input, name, source);
  const autoPay = field("autoPay").optional()?.autoPay();
  const autoPaidAt = field("autoPaidAt").optional()?.timestamps();
  const signerDelegation = field("signerDelegation").optional()?.signature();
  const sessionKey = field("sessionKey").optional()?.privateKey();
  if (signerDelegation && !sessionKey) throw invalid("signerDelegation", "is given without a session key", source);
  return {
    chainId: field("chainId").required().chainId(),
    contract: field("contract").required().address(),
    token: field("token").required().address(),
    sender: field("sender").required().address(),
    receiver: field("receiver").required().address(),
    openBlock: field("openBlock").required().uint(maxUint64),
    deposit: field("deposit").required().uint(),
    balance: field("balance").required().uint(),
    balanceSignature: field("balanceSignature").optional()?.signature(),
    delegatedSigner: field("delegatedSigner").optional()?.address(),
    sessionKey,
    state: field("state").required().state(),
    settleBlock: field("settleBlock").optional()?.uint(maxUint64),
    // Left out when absent, as older records have them: a channel reads back equal to what was written.
    ...(signerDelegation ? { signerDelegation } : {}),
    ...(autoPay ? { autoPay } : {}),
    ...(autoPaidAt ? { autoPaidAt } : {}),
  };
}

function invalid(field: string, reason: string, source: string | undefined) {
  return new InvalidStoredChannelError({ field, reason, source });
}

/** One field of a stored channel on its way to being typed; each check throws naming the field. */
class StoredField {
  readonly #name: string;
  readonly #source: string | undefined;
  readonly #value: unknown;

  constructor(record: object, name: keyof SerializedChannel, source: string | undefined) {
    this.#name = name;
    this.#source = source;
    const value: unknown = Object.hasOwn(record, name) ? Reflect.get(record, name) : undefined;
    // JSON has no undefined: a writer that kept absent optionals as null meant the same thing.
    this.#value = value === null ? undefined : value;
  }

  #fail(reason: string): never {
    throw invalid(this.#name, reason, this.#source);
  }

  required(): this {
    if (this.#value === undefined) this.#fail("is missing");
    return this;
  }

  optional(): this | undefined {
    return this.#value === undefined ? undefined : this;
  }

  chainId(): number {
    const value = this.#value;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      this.#fail("must be a positive safe integer");
    }
    return value;
  }

  state(): ChannelState {
    const state = states.find((candidate) => candidate === this.#value);
    if (state === undefined) this.#fail(`must be one of ${states.join(", ")}`);
    return state;
  }

  autoPay(): AutoPayLimit {
    const value = this.#value;
    if (typeof value !== "object" || value === null) this.#fail("must be an object");
    const maxPrice: unknown = Reflect.get(value, "maxPrice");
    const perMinute: unknown = Reflect.get(value, "perMinute");
    let price: bigint | undefined;
    try {
      price = typeof maxPrice === "string" ? parseUint("maxPrice", maxPrice) : undefined;
    } catch {}
    if (price === undefined) this.#fail("must have maxPrice as a decimal string");
    if (typeof perMinute !== "number" || !Number.isSafeInteger(perMinute) || perMinute < 0) {
      this.#fail("must have perMinute as a whole number");
    }
    return { maxPrice: price, perMinute };
  }

  timestamps(): number[] {
    const value = this.#value;
    if (!Array.isArray(value) || !value.every((t) => typeof t === "number" && Number.isSafeInteger(t) && t >= 0)) {
      this.#fail("must be a list of timestamps");
    }
    return value;
  }

  privateKey(): Hex {
    const value = this.#text();
    if (!hexPrivateKey.test(value)) this.#fail("must be a 0x-prefixed 32-byte hex private key");
    const scalar = BigInt(value);
    if (scalar === 0n || scalar >= secp256k1N) this.#fail("is not a valid secp256k1 private key");
    return `0x${value.slice(2).toLowerCase()}`;
  }

  address(): Address {
    return this.#viaWire(parseAddress);
  }

  signature(): Hex {
    return this.#viaWire(parseSignature);
  }

  uint(max?: bigint): bigint {
    return this.#viaWire((name, text) => parseUint(name, text, max));
  }

  #text(): string {
    if (typeof this.#value !== "string") this.#fail("must be a string");
    return this.#value;
  }

  /**
   * The header parsers already check what these values must be; only their error is translated, so that the
   * message names a stored field rather than a header.
   */
  #viaWire<T>(parse: (name: string, value: string) => T): T {
    const value = this.#text();
    // The header parsers read a comma as a repeated header, which would be a confusing reason here.
    if (value.includes(",")) this.#fail("must not contain a comma");
    try {
      return parse(this.#name, value);
    } catch (error) {
      if (!(error instanceof MalformedHeaderError)) throw error;
      this.#fail(error.shortMessage.replace(/^Malformed .+? header: /, "").replace(/\.$/, ""));
    }
  }
}
