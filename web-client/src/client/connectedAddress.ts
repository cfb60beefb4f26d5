import type { Address } from "viem";
import { NotConnectedError } from "../errors/NotConnectedError.ts";
import type { ChannelClient } from "./createChannelClient.ts";

/** The connection's account, for reading what belongs to it (no wallet call); NotConnectedError without one. */
export function connectedAddress(client: ChannelClient): Address {
  const connection = client.connection.getState();
  if (connection.status === "disconnected") throw new NotConnectedError();
  return connection.address;
}
