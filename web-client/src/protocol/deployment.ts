import { type Address, getAddress, isAddress } from "viem";
import { BaseError } from "./BaseError.ts";
import { channelManagerRuntimeCode } from "./channelManagerRuntimeCode.ts";

/**
 * Where a channel manager lives: what the deploy script writes and every other part reads (the server's chain
 * watcher starts at `deploymentBlock`; clients check `chainId` before signing).
 */
export type Deployment = {
  chainId: number;
  channelManager: Address;
  token: Address;
  /** The block the channel manager was deployed in: no channel event can be older. */
  deploymentBlock: number;
  /** The manager's challenge period, in blocks: within the contract's bounds (`channelManagerRuntimeCode.challengePeriod`). */
  challengePeriod: number;
};

/**
 * A deployment file that is not what {@link parseDeployment} expects; `field` names the first bad field.
 *
 * @example
 * import { InvalidDeploymentError, parseDeployment } from "@micro-raiden/web-client/protocol";
 * try { parseDeployment(json) } catch (error) { if (error instanceof InvalidDeploymentError) console.log(error.field) }
 */
export class InvalidDeploymentError extends BaseError {
  override name = "InvalidDeploymentError" as const;
  readonly field: string;
  constructor(field: string, reason: string) {
    super(`Invalid deployment file: ${field} ${reason}.`);
    this.field = field;
  }
}

function field(input: object, key: keyof Deployment): unknown {
  if (!Object.hasOwn(input, key)) throw new InvalidDeploymentError(key, "is missing");
  return Reflect.get(input, key);
}

function safeInteger(
  input: object,
  key: "chainId" | "deploymentBlock" | "challengePeriod",
  min: number,
  max = Number.MAX_SAFE_INTEGER,
) {
  const value = field(input, key);
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidDeploymentError(
      key,
      max === Number.MAX_SAFE_INTEGER
        ? `must be an integer of at least ${min}`
        : `must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function address(input: object, key: "channelManager" | "token"): Address {
  const value = field(input, key);
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidDeploymentError(key, "must be a 0x-prefixed 20-byte address");
  }
  return getAddress(value);
}

/**
 * Validates a parsed deployment file (the JSON the deploy script writes) and returns it with checksummed addresses.
 * The challenge period must be within the bounds the contract enforces: no genuine manager has another, so a file
 * that says otherwise names something else. Throws {@link InvalidDeploymentError} on anything else.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * import { parseDeployment } from "@micro-raiden/web-client/protocol";
 * const deployment = parseDeployment(JSON.parse(await readFile("contracts/deployments/31337.json", "utf8")));
 */
export function parseDeployment(input: unknown): Deployment {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InvalidDeploymentError("(root)", "must be a JSON object");
  }
  return {
    chainId: safeInteger(input, "chainId", 1),
    channelManager: address(input, "channelManager"),
    token: address(input, "token"),
    deploymentBlock: safeInteger(input, "deploymentBlock", 0),
    challengePeriod: safeInteger(
      input,
      "challengePeriod",
      channelManagerRuntimeCode.challengePeriod.min,
      channelManagerRuntimeCode.challengePeriod.max,
    ),
  };
}
