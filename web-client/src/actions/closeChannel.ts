import { type Hex, isHex, parseEventLogs } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { ensureChain } from "../client/ensureChain.ts";
import { mapContractError } from "../client/mapContractError.ts";
import { ReceiverApiError } from "../errors.ts";
import { channelManagerAbi, closeRequestTypedData, parseSignature, verifyClosingSignature } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";
import { waitForSuccess } from "./openChannel.ts";
import { signBalanceProof, signForChannel } from "./signBalanceProof.ts";

/** How long a close request stays valid, in seconds. */
const closeRequestLifetime = 600;

export type CloseChannelParameters = {
  channel: StoredChannel;
  /**
   * The receiver's REST API root, e.g. `https://site.example/api/1` (a 402's RDN-Gateway-Path on the site's origin).
   * Needed for a cooperative close.
   */
  gatewayUrl?: string | undefined;
  /** Close without the receiver: starts the challenge period; `settleChannel` pays out after it. */
  uncooperative?: boolean | undefined;
};

/**
 * Closes a channel. Cooperatively by default: sends the receiver the sender's own balance proof for the channel's
 * balance (so nobody else can ask), receives its closing signature, and submits both in one transaction that pays
 * out at once. Uncooperatively only when asked.
 *
 * @example
 * import { closeChannel } from "@micro-raiden/web-client";
 * const closed = await closeChannel(client, { channel, gatewayUrl: "http://localhost:3000/api/1" });
 */
export async function closeChannel(client: ChannelClient, parameters: CloseChannelParameters): Promise<StoredChannel> {
  const channel = (await client.storage.get(parameters.channel)) ?? parameters.channel;
  const chain = await ensureChain(client, channel.chainId);
  const args = [channel.receiver, channel.openBlock, channel.balance] as const;
  if (parameters.uncooperative) {
    const hash = await client.walletClient
      .writeContract({
        chain,
        address: channel.contract,
        abi: channelManagerAbi,
        functionName: "uncooperativeClose",
        args,
      })
      .catch((error: unknown) => {
        throw mapContractError(error);
      });
    const receipt = await waitForSuccess(client, hash);
    const [requested] = parseEventLogs({
      abi: channelManagerAbi,
      eventName: "ChannelCloseRequested",
      logs: receipt.logs,
    });
    const closing: StoredChannel = { ...channel, state: "closing", settleBlock: requested?.args.settleBlock };
    await client.storage.put(closing);
    return closing;
  }

  if (!parameters.gatewayUrl) throw new Error("A cooperative close needs the receiver's gatewayUrl.");
  const closingSignature = await requestClosingSignature(client, channel, parameters.gatewayUrl);
  const hash = await client.walletClient
    .writeContract({
      chain,
      address: channel.contract,
      abi: channelManagerAbi,
      functionName: "cooperativeClose",
      // The sender submits, so its own balance signature is not needed on chain.
      args: [channel.sender, channel.receiver, channel.openBlock, channel.balance, "0x", closingSignature],
    })
    .catch((error: unknown) => {
      throw mapContractError(error);
    });
  await waitForSuccess(client, hash);
  const closed: StoredChannel = { ...channel, state: "closed" };
  await client.storage.put(closed);
  return closed;
}

/**
 * Asks the receiver's API for its closing signature at the channel's balance and checks it before use.
 *
 * @example
 * import { requestClosingSignature } from "@micro-raiden/web-client";
 * const closingSignature = await requestClosingSignature(client, channel, "http://localhost:3000/api/1");
 */
export async function requestClosingSignature(
  client: ChannelClient,
  channel: StoredChannel,
  gatewayUrl: string,
): Promise<Hex> {
  const balanceSignature =
    channel.balanceSignature ?? (await signBalanceProof(client, { channel, balance: channel.balance }));
  // The request itself is signed too, with a deadline: a balance proof alone could be replayed by anyone who saw
  // it (for instance in a withdraw transaction) to make the receiver stop serving the channel.
  const deadline = BigInt(Math.floor(Date.now() / 1000) + closeRequestLifetime);
  const closeRequestSignature = await signForChannel(
    client,
    channel,
    closeRequestTypedData(channelDomain(channel), { ...channelMessage(channel, channel.balance), deadline }),
  );
  const url = `${gatewayUrl.replace(/\/$/, "")}/channels/${channel.sender}/${channel.openBlock}`;
  const response = await client.fetch(url, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      balance: channel.balance.toString(),
      balance_signature: balanceSignature,
      deadline: deadline.toString(),
      close_request_signature: closeRequestSignature,
    }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  const error = typeof body === "object" && body !== null ? Reflect.get(body, "error") : undefined;
  if (!response.ok) {
    const code = typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
    const message = typeof error === "object" && error !== null ? Reflect.get(error, "message") : undefined;
    throw new ReceiverApiError({
      status: response.status,
      url,
      ...(typeof code === "string" ? { code } : {}),
      ...(typeof message === "string" ? { message } : {}),
    });
  }
  const raw = typeof body === "object" && body !== null ? Reflect.get(body, "close_signature") : undefined;
  if (typeof raw !== "string" || !isHex(raw)) {
    throw new ReceiverApiError({ status: response.status, url, message: "no close_signature in the answer" });
  }
  const signature = parseSignature("close_signature", raw);
  const valid = await verifyClosingSignature({
    domain: channelDomain(channel),
    message: channelMessage(channel, channel.balance),
    signature,
  });
  if (!valid)
    throw new ReceiverApiError({
      status: response.status,
      url,
      message: "the closing signature is not the receiver's",
    });
  return signature;
}
