import { type Address, encodeEventTopics, type LogTopic, numberToHex, pad, parseEventLogs, type RpcLog } from "viem";
import { getBlockNumber } from "viem/actions";
import { formatLog } from "viem/utils";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { BaseError, channelEventNames, channelManagerAbi } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import type { ManagerParameters } from "./openChannel.ts";
import { refreshChannel } from "./refreshChannel.ts";

export type WatchChannelsParameters = ManagerParameters & {
  /**
   * Also report the channels that changed since this block (inclusive), before following new blocks. Without it
   * only changes from now on are reported.
   */
  fromBlock?: bigint | undefined;
  /** How often to poll the chain, in ms (viem's default otherwise). */
  pollingInterval?: number | undefined;
  /** Called with the refreshed channel after every on-chain event about it. */
  onChange: (channel: StoredChannel) => void;
  /** Called when reading the chain fails; watching goes on. */
  onError?: ((error: Error) => void) | undefined;
};
export type WatchChannelsReturnType = () => void;

/**
 * Follows the current account's channels on this manager: after each on-chain event about one of them (opened,
 * topped up, withdrawn from, close requested, settled) the channel is refreshed into storage and passed to
 * `onChange`. With `fromBlock`, events since that block are reported first. Returns `unwatch`.
 *
 * @example
 * import { watchChannels } from "@micro-raiden/web-client";
 * const unwatch = watchChannels(client, { chainId, contract, token, fromBlock, onChange: (channel) => render(channel) });
 */
export function watchChannels(client: ChannelClient, parameters: WatchChannelsParameters): WatchChannelsReturnType {
  const { publicClient } = client;
  const sender = connectedAddress(client);
  const report = (error: unknown) =>
    parameters.onError?.(
      error instanceof Error ? error : new BaseError("Watching the channels failed.", { cause: error }),
    );
  let active = true;

  // Only this account's events, filtered by the node: the manager's events name the sender as their first indexed
  // argument. (viem drops `args` when it asks for several events at once, which would hand every page every
  // reader's channel events: a chain read for each, and another reader's channel stored as a phantom of ours.)
  const topics: LogTopic[] = [
    channelEventNames.map((eventName) => encodeEventTopics({ abi: channelManagerAbi, eventName })[0]),
    pad(sender),
  ];
  const readLogs = async (from: bigint, to: bigint) => {
    const logs: RpcLog[] = await publicClient.request({
      method: "eth_getLogs",
      params: [{ address: parameters.contract, fromBlock: numberToHex(from), toBlock: numberToHex(to), topics }],
    });
    return parseEventLogs({
      abi: channelManagerAbi,
      eventName: [...channelEventNames],
      logs: logs.map((log) => formatLog(log)),
    });
  };

  const onLogs = async (logs: Awaited<ReturnType<typeof readLogs>>) => {
    // One refresh per channel per batch: it reads the channel's whole current state anyway.
    const channels = new Map<string, { receiver: Address; openBlock: bigint }>();
    for (const { args } of logs) {
      // A node that ignored the topic filter must not make another reader's channel one of ours.
      if (args.sender.toLowerCase() !== sender.toLowerCase()) continue;
      channels.set(`${args.receiver}:${args.openBlock}`, { receiver: args.receiver, openBlock: args.openBlock });
    }
    for (const { receiver, openBlock } of channels.values()) {
      try {
        const channel = await refreshChannel(client, { ...parameters, sender, receiver, openBlock });
        if (active) parameters.onChange(channel);
      } catch (error) {
        report(error);
      }
    }
  };

  // Polls the head and reads the logs of the new blocks: no node filter to expire or be forgotten by a load balancer.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const interval = parameters.pollingInterval ?? client.publicClient.pollingInterval;
  const follow = async (next: bigint | undefined) => {
    let from = next;
    try {
      const head = await getBlockNumber(publicClient, { cacheTime: 0 });
      if (from === undefined) from = head + 1n;
      else if (head >= from) {
        await onLogs(await readLogs(from, head));
        from = head + 1n;
      }
    } catch (error) {
      report(error);
    }
    if (active) timer = setTimeout(() => void follow(from), interval);
  };

  // Without `fromBlock`, only the changes from the next block on.
  void follow(parameters.fromBlock);
  return () => {
    active = false;
    clearTimeout(timer);
  };
}
