import { BaseError } from "../protocol/BaseError.ts";
import type { ChannelKey, ChannelState } from "../storage/ChannelStorage.ts";

/**
 * A payment was asked on a channel this client does not know, or knows as closing or closed.
 *
 * @example
 * import { ChannelNotOpenError } from "@micro-raiden/web-client";
 * if (error instanceof ChannelNotOpenError) console.log(error.state);
 */
export class ChannelNotOpenError extends BaseError {
  override name = "ChannelNotOpenError" as const;
  readonly channel: ChannelKey;
  readonly state: ChannelState | undefined;
  constructor({ channel, state }: { channel: ChannelKey; state: ChannelState | undefined }) {
    super(`Channel ${channel.openBlock} to ${channel.receiver} is ${state ?? "unknown to this client"}.`);
    this.channel = channel;
    this.state = state;
  }
}

export type ChannelNotOpenErrorType = ChannelNotOpenError & { name: "ChannelNotOpenError" };
