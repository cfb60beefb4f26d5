import { type Address, isAddress, type Log } from "viem";
import { getBlockNumber, getContractEvents, watchContractEvent } from "viem/actions";
import { connectedAddress } from "../client/connectedAddress.ts";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { BaseError, channelManagerAbi } from "../protocol/index.ts";
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
  let stopLive = () => {};

  const onLogs = async (logs: readonly Log[]) => {
    // One refresh per channel per batch: it reads the channel's whole current state anyway.
    const channels = new Map<string, { receiver: Address; openBlock: bigint }>();
    for (const log of logs) {
      const args: unknown = "args" in log ? log.args : undefined;
      if (typeof args !== "object" || args === null) continue;
      const receiver: unknown = Reflect.get(args, "receiver");
      const openBlock: unknown = Reflect.get(args, "openBlock");
      if (typeof receiver !== "string" || !isAddress(receiver, { strict: false }) || typeof openBlock !== "bigint")
        continue;
      channels.set(`${receiver}:${openBlock}`, { receiver, openBlock });
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

  const start = async () => {
    let fromBlock = parameters.fromBlock;
    if (fromBlock !== undefined) {
      // viem hands `fromBlock` to a node filter, and nodes differ on whether a new filter returns past logs: read
      // the past explicitly, then follow from the next block.
      const head = await getBlockNumber(publicClient, { cacheTime: 0 });
      const past = await getContractEvents(publicClient, {
        address: parameters.contract,
        abi: channelManagerAbi,
        args: { sender },
        fromBlock,
        toBlock: head,
        strict: true,
      });
      await onLogs(past);
      fromBlock = head + 1n;
    }
    if (!active) return;
    stopLive = watchContractEvent(publicClient, {
      ...(parameters.pollingInterval ? { pollingInterval: parameters.pollingInterval } : {}),
      ...(fromBlock === undefined ? {} : { fromBlock }),
      address: parameters.contract,
      abi: channelManagerAbi,
      args: { sender },
      strict: true,
      onLogs,
      onError: report,
    });
  };
  start().catch(report);
  return () => {
    active = false;
    stopLive();
  };
}
