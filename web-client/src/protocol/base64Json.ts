// x402's header encoding: JSON, UTF-8, standard base64 (as its safeBase64Encode). btoa/atob exist in browsers,
// workers and Node alike.
import { MalformedHeaderError } from "./MalformedHeaderError.ts";

/** Longest x402 header we read: a few payment options with their `extra` fit in far less. */
export const maxX402HeaderLength = 16_384;

/** `value` as x402 puts it in a header: its JSON, UTF-8, base64. */
export function encodeBase64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The JSON value of an x402 header; MalformedHeaderError naming `header` when it is not base64 of UTF-8 JSON. */
export function decodeBase64Json(header: string, value: string): unknown {
  if (value.length > maxX402HeaderLength) {
    throw new MalformedHeaderError({ header, reason: `longer than ${maxX402HeaderLength} characters` });
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new MalformedHeaderError({ header, reason: "is not base64" });
  try {
    const binary = atob(value);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new MalformedHeaderError({ header, reason: "is not base64-encoded UTF-8 JSON" });
  }
}
