import type { Address } from "viem";
import { NotConnectedError } from "../errors/NotConnectedError.ts";
import type { PaymentClient } from "./PaymentClient.ts";

/** The connection's account, for reading what belongs to it (no wallet call); NotConnectedError without one. */
export function connectedAddress(client: PaymentClient): Address {
  const connection = client.connection.getState();
  if (connection.status === "disconnected") throw new NotConnectedError();
  return connection.address;
}
