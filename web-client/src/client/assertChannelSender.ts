import { isAddressEqual } from "viem";
import { AccountMismatchError } from "../errors/AccountMismatchError.ts";
import type { ChannelKey } from "../storage/ChannelStorage.ts";
import { connectedAddress } from "./connectedAddress.ts";
import type { PaymentClient } from "./PaymentClient.ts";

/**
 * channelAccount's check without a wallet call, for signing with the channel's session key: the connection (which follows
 * the wallet's `accountsChanged`) must be on the channel's sender.
 */
export function assertChannelSender(client: PaymentClient, channel: Pick<ChannelKey, "sender">): void {
  const address = connectedAddress(client);
  if (!isAddressEqual(address, channel.sender))
    throw new AccountMismatchError({ sender: channel.sender, account: address });
}
