import { readFile, stat } from "node:fs/promises";
import { type Hex, isHex } from "viem";
import { PrivateKeyFileError } from "./PrivateKeyFileError.ts";

/**
 * Reads a hex private key from a file, refusing one that group or others can read (µRaiden's rule: `chmod 600`)
 * or that does not hold a 32-byte key (PrivateKeyFileError). The key never appears in an error message.
 *
 * @example
 * import { privateKeyToAccount } from "viem/accounts";
 * import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
 * const account = privateKeyToAccount(await readPrivateKeyFile("receiver.key"));
 */
export async function readPrivateKeyFile(path: string): Promise<Hex> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new PrivateKeyFileError({
      path,
      reason: `is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it first`,
    });
  }
  const key = (await readFile(path, "utf8")).trim();
  const prefixed = key.startsWith("0x") ? key : `0x${key}`;
  if (!isHex(prefixed) || prefixed.length !== 66) {
    throw new PrivateKeyFileError({ path, reason: "does not hold a 32-byte hex private key" });
  }
  return prefixed;
}
