// Where the receiver's REST API lives and how it addresses a channel.
import type { Address } from "viem";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { maxUint64, parseAddress, parseUint } from "./wire.ts";

/** The REST API's path root on a receiver, the `RDN-Gateway-Path` of its 402s. */
export const apiPrefix = "/api/1";

/** The endpoints under the gateway path (µRaiden's), for routes and for clients. */
export const apiPaths = {
  stats: "/stats",
  channels: "/channels",
  withdraw: "/withdraw",
  closeAll: "/close-all",
  /** POST: open the sender's channel from its signatures, the receiver paying the gas (when it offers to). */
  sponsoredOpen: "/sponsored-open",
} as const;

/**
 * The path of one channel under the gateway path: `/channels/<sender>/<openBlock>` (GET: its description; DELETE:
 * the cooperative close). The sender is written checksummed; receivers also accept it all-lowercase.
 *
 * @example
 * import { apiPrefix, channelPath } from "@micro-raiden/web-client/protocol";
 * const url = `https://site.example${apiPrefix}${channelPath({ sender, openBlock: 12n })}`;
 */
export function channelPath(channel: { sender: Address; openBlock: bigint }): string {
  return `${apiPaths.channels}/${channel.sender}/${channel.openBlock}`;
}

/**
 * Validates the two parameters of a channel path as a router gives them: the sender as an all-lowercase or
 * EIP-55 checksummed address, the open block as a canonical decimal uint64. Throws MalformedBodyError (a 400
 * `malformed_body`, field "sender" or "openBlock").
 *
 * @example
 * import { decodeChannelPathParameters } from "@micro-raiden/web-client/protocol";
 * const { sender, openBlock } = decodeChannelPathParameters({ sender: c.req.param("sender"), openBlock: c.req.param("openBlock") });
 */
export function decodeChannelPathParameters(parameters: { sender: string; openBlock: string }): {
  sender: Address;
  openBlock: bigint;
} {
  return {
    sender: decodeSenderPathParameter(parameters.sender),
    openBlock: pathParameter("openBlock", () => parseUint("openBlock", parameters.openBlock, maxUint64)),
  };
}

/**
 * Validates the sender of `/channels/<sender>` (a sender's channels) as a router gives it: an all-lowercase or
 * EIP-55 checksummed address, returned checksummed. Throws MalformedBodyError (field "sender").
 *
 * @example
 * import { decodeSenderPathParameter } from "@micro-raiden/web-client/protocol";
 * const sender = decodeSenderPathParameter(c.req.param("sender"));
 */
export function decodeSenderPathParameter(sender: string): Address {
  return pathParameter("sender", () => parseAddress("sender", sender));
}

/** A path parameter is part of the request a receiver answers 400 `malformed_body` to, like a body field. */
function pathParameter<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof MalformedHeaderError) throw new MalformedBodyError({ field: name, reason: error.reason });
    throw error;
  }
}
