// The one way the JSON codecs read a parsed body: every accessor validates one field with the header parsers'
// rules (canonical decimals, checksummed addresses, low-s signatures) and throws MalformedBodyError naming it.
import type { Address, Hash, Hex } from "viem";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { parseAddress, parseSignature, parseUint } from "./wire.ts";

function fail(field: string, reason: string): never {
  throw new MalformedBodyError({ field, reason });
}

/** Whether `value` is what JSON.parse gives for an object (not null, not an array). */
export function isJsonObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Field readers over a parsed JSON object. With `fields`, any other key is refused: a request body with a typo'd
 * field (`treshold`) must fail, not run with a default.
 */
export function readJsonBody(value: unknown, fields?: readonly string[]) {
  if (!isJsonObject(value)) fail("(root)", "must be a JSON object");
  if (fields) {
    for (const key of Object.keys(value)) if (!fields.includes(key)) fail(key, "is not a field of this body");
  }
  const raw = (name: string): unknown => (Object.hasOwn(value, name) ? Reflect.get(value, name) : undefined);
  const text = (name: string, kind: string): string => {
    const field = raw(name);
    if (field === undefined) fail(name, "is missing");
    if (typeof field !== "string") fail(name, `must be ${kind} in a JSON string`);
    return field;
  };
  const parsed = <T>(name: string, kind: string, parse: (field: string) => T): T => {
    const field = text(name, kind);
    try {
      return parse(field);
    } catch (error) {
      if (error instanceof MalformedHeaderError) fail(name, error.reason);
      throw error;
    }
  };
  return {
    /** Whether the field is present and not null. */
    has: (name: string): boolean => raw(name) !== undefined && raw(name) !== null,
    /** Whether the field is present at all (null included). */
    present: (name: string): boolean => raw(name) !== undefined,
    uint: (name: string, max?: bigint): bigint => parsed(name, "a decimal integer", (v) => parseUint(name, v, max)),
    address: (name: string): Address => parsed(name, "an address", (v) => parseAddress(name, v)),
    signature: (name: string): Hex => parsed(name, "a signature", (v) => parseSignature(name, v)),
    hash: (name: string): Hash =>
      parsed(name, "a transaction hash", (v) => {
        if (!/^0x[0-9a-fA-F]{64}$/.test(v)) fail(name, "must be a 0x-prefixed 32-byte hex hash");
        return `0x${v.slice(2).toLowerCase()}` as const;
      }),
    string: (name: string): string => text(name, "text"),
    oneOf: <T extends string>(name: string, values: readonly T[]): T => {
      const field = text(name, "text");
      const found = values.find((v) => v === field);
      if (found === undefined) fail(name, `must be one of ${values.map((v) => `"${v}"`).join(", ")}`);
      return found;
    },
    count: (name: string): number => {
      const field = raw(name);
      if (field === undefined) fail(name, "is missing");
      if (typeof field !== "number" || !Number.isSafeInteger(field) || field < 0) {
        fail(name, "must be a non-negative integer");
      }
      return field;
    },
  };
}
