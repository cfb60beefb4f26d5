// What the receiver stored, asked through its REST API with the operator's token and read with the protocol's
// codecs: the channels of a sender, with the balance each was charged.
import { apiPrefix, channelPath, decodeChannelDescription } from "@micro-raiden/web-client/protocol";
import type { Address } from "viem";
import { readWorld } from "./world.ts";

const world = readWorld();

async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${world.operatorToken}` } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The sender's pending, open and closing channels at the receiver (`receiverUrl`: default the shared one). */
export async function receiverChannels(sender: Address, receiverUrl = world.receiverUrl) {
  const list = await get(`${receiverUrl}${apiPrefix}/channels/${sender}`);
  if (!Array.isArray(list)) throw new Error("The receiver's channel list is not an array.");
  return list.map(decodeChannelDescription);
}

/** One channel at the receiver, in whatever state. */
export async function receiverChannel(
  channel: { sender: Address; openBlock: bigint },
  receiverUrl = world.receiverUrl,
) {
  return decodeChannelDescription(await get(`${receiverUrl}${apiPrefix}${channelPath(channel)}`));
}

/** The one channel the sender has at the receiver, with what it was charged (fails unless there is exactly one). */
export async function onlyChannel(sender: Address, receiverUrl = world.receiverUrl) {
  const channels = await receiverChannels(sender, receiverUrl);
  if (channels.length !== 1) throw new Error(`${sender} has ${channels.length} channels at the receiver, not one.`);
  const [channel] = channels;
  if (!channel?.details) throw new Error("The receiver did not give the operator the channel's details.");
  return { ...channel, balance: channel.details.balance };
}
