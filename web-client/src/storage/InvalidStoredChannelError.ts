import { BaseError } from "../protocol/BaseError.ts";

/**
 * Stored channel data that is not what this client wrote: a corrupted or hand-edited file or localStorage entry, or
 * a channel refused before it is written. `field` names the first bad field ("(root)" for the whole value, "(key)"
 * when a channel sits under another channel's key); `source` says where the data came from, when known.
 *
 * @example
 * import { InvalidStoredChannelError } from "@micro-raiden/web-client";
 * import { parseStoredChannel } from "@micro-raiden/web-client";
 * try { parseStoredChannel(JSON.parse(text)) } catch (error) {
 *   if (error instanceof InvalidStoredChannelError) console.error(`bad ${error.field}`);
 * }
 */
export class InvalidStoredChannelError extends BaseError {
  override name = "InvalidStoredChannelError" as const;
  readonly code = "invalid_stored_channel" as const;
  readonly field: string;
  readonly source: string | undefined;

  constructor({ field, reason, source, cause }: { field: string; reason: string; source?: string; cause?: unknown }) {
    super(`Invalid stored channel${source === undefined ? "" : ` in ${source}`}: ${field} ${reason}.`, { cause });
    this.field = field;
    this.source = source;
  }
}
