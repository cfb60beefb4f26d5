import { channelEventNames, channelManagerAbi } from "@micro-raiden/web-client/protocol";
import {
  type Account,
  BlockNotFoundError,
  type Chain,
  encodeEventTopics,
  formatLog,
  type Hex,
  type Log,
  type LogTopic,
  numberToHex,
  type PublicClient,
  pad,
  parseEventLogs,
  TransactionReceiptNotFoundError,
  type Transport,
  BaseError as ViemBaseError,
  type WalletClient,
} from "viem";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";
import type { BlockRecord, ChainEvent } from "../store/records.ts";
import { decodeChannelLogs } from "./decodeChannelLogs.ts";

export type WatcherOptions = {
  receiver: ReceiverCore;
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
  pollIntervalMs?: number | undefined;
  /** Largest block range per eth_getLogs. */
  maxBlockRange?: bigint | undefined;
  /** Where operational messages go (default: console). Never receives the key. */
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
  /** Called after each step that completed (its blocks stored): receivers sharing the database are told to read. */
  onStep?: (() => void) | undefined;
};

/**
 * Follows the channel manager for this receiver's channels. Starts at the deployment block (inclusive, so nothing
 * at the start block is missed) and keeps a restart-safe cursor in the store. Before each step it checks the
 * stored block hashes against the chain: a reorganization of any depth rolls the store and the channel book back
 * to the last block both agree on, and the chain is read again from there. When a sender requests an
 * uncooperative close below the receiver's latest proof, the watcher closes the channel at that proof within
 * the challenge period, and keeps retrying loudly if the transaction fails (for instance, no gas). It also follows
 * the receiver's claimable credit: payouts the token refused to make to it (`PayoutDeferred`), until it claims them
 * (`CreditClaimed`), and says so in the log.
 */
export function createWatcher(options: WatcherOptions) {
  const { receiver, publicClient, walletClient } = options;
  const log = options.log ?? ((level, message) => console[level](`[watcher] ${message}`));
  const maxBlockRange = options.maxBlockRange ?? 2_000n;
  /** How often a long catch-up reports its progress, in ms. */
  const progressIntervalMs = 3_000;
  const { store, deployment } = receiver;
  const firstBlock = BigInt(deployment.deploymentBlock);
  // topic0: any of our events; topic1: any sender; topic2: this receiver.
  const topics: LogTopic[] = [
    channelEventNames.map((eventName) => encodeEventTopics({ abi: channelManagerAbi, eventName })[0]),
    null,
    pad(receiver.address),
  ];
  // The credit events name the receiver as their first indexed argument, so they need a filter of their own.
  const creditTopics: LogTopic[] = [
    (["PayoutDeferred", "CreditClaimed"] as const).map(
      (eventName) => encodeEventTopics({ abi: channelManagerAbi, eventName })[0],
    ),
    pad(receiver.address),
  ];
  /**
   * The receiver's claimable credit as of the last block read. Unknown until the first step (the stored cursor may
   * start after older credit events) and after a reorganization: then read from the contract, and from events after.
   */
  let credit: bigint | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Challenges sent and not yet seen settled: the transaction, and how many polls it has been pending. */
  const challenges = new Map<string, { balance: bigint; hash: Hex; polls: number }>();

  /**
   * The chain's hash at `number`, or undefined when the chain has no such block (it got shorter). Any other RPC
   * failure throws and aborts the step: an unreachable node must never look like a reorganization.
   */
  async function chainHash(number: bigint): Promise<Hex | undefined> {
    try {
      return (await publicClient.getBlock({ blockNumber: number })).hash ?? undefined;
    } catch (error) {
      if (error instanceof BlockNotFoundError) return undefined;
      throw error;
    }
  }

  /** The highest stored block the chain still has; everything above it was reorganized away. */
  async function forkPoint(): Promise<bigint> {
    for (let block = store.lastBlock(); block && block.number >= firstBlock; block = store.blockBelow(block.number)) {
      if (block.hash === (await chainHash(block.number))) return block.number;
    }
    return firstBlock - 1n;
  }

  async function fetchLogs(from: bigint, to: bigint, filter: LogTopic[] = topics): Promise<Log[]> {
    const chunk = await publicClient.request({
      method: "eth_getLogs",
      params: [
        { address: deployment.channelManager, fromBlock: numberToHex(from), toBlock: numberToHex(to), topics: filter },
      ],
    });
    return chunk.map((entry) => formatLog(entry));
  }

  /** Follows the credit through its events, which carry the new total (a claim empties it). */
  function applyCreditLogs(logs: Log[]) {
    for (const event of parseEventLogs({ abi: channelManagerAbi, logs, strict: true })) {
      if (event.eventName === "PayoutDeferred") {
        credit = event.args.credit;
        log(
          "warn",
          `the token refused to pay the receiver ${event.args.amount} (transaction ${event.transactionHash}): the manager holds it as credit, now ${event.args.credit} in total; claim it with the operator's claim once the token pays the receiver again`,
        );
      } else if (event.eventName === "CreditClaimed") {
        credit = 0n;
        log("info", `the receiver claimed its credit of ${event.args.amount}`);
      }
    }
  }

  /**
   * Reads [from, to] in chunks, committing each (events and the chunk's last block) as it goes, so a long catch-up
   * keeps its progress. A chunk whose last block changed while its logs were read is dropped: the next step sees
   * the reorganization and starts over from the last good block.
   */
  async function readBlocks(from: bigint, to: bigint): Promise<boolean> {
    // A catch-up of more than one chunk (the first sync of an old manager, a restart after a while) says how far it
    // has come, every few seconds and at its end, instead of waiting silently.
    const total = to - from + 1n;
    let reported = total > maxBlockRange ? 0 : Number.POSITIVE_INFINITY;
    for (let start = from; start <= to; start += maxBlockRange) {
      const end = start + maxBlockRange - 1n < to ? start + maxBlockRange - 1n : to;
      const before = await chainHash(end);
      const events = decodeChannelLogs(await fetchLogs(start, end));
      const creditLogs = await fetchLogs(start, end, creditTopics);
      const after = await chainHash(end);
      if (!before || before !== after || events.some((e) => e.blockNumber === end && e.blockHash !== after)) {
        return false;
      }
      const blocks: BlockRecord[] = [
        ...new Map(
          events.map((e): [bigint, BlockRecord] => [e.blockNumber, { number: e.blockNumber, hash: e.blockHash }]),
        ).values(),
        { number: end, hash: after },
      ];
      store.appendBlocks(blocks, events);
      for (const event of events) receiver.book.apply(event);
      applyCreditLogs(creditLogs);
      receiver.setHead(end);
      if (events.length > 0) log("info", `blocks ${start}–${end}: ${events.length} channel event(s)`);
      if (end === to ? reported !== Number.POSITIVE_INFINITY : Date.now() - reported >= progressIntervalMs) {
        reported = Date.now();
        log(
          "info",
          `catching up with the chain: ${end - from + 1n} of ${total} blocks read (to block ${end} of ${to})`,
        );
      }
    }
    return true;
  }

  let current: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  /**
   * One step at a time. A caller arriving during a step gets the single step queued after it (however many
   * callers arrive), so a burst of payments naming unknown channels costs at most one extra sync.
   */
  function syncOnce(): Promise<void> {
    if (queued) return queued;
    const run = () => {
      const started = step().finally(() => {
        if (current === started) current = undefined;
      });
      current = started;
      return started;
    };
    if (!current) return run();
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return run();
      });
    queued = next;
    return next;
  }

  /** One step: check for a reorg, read new blocks' events, update the book, challenge stale closes. */
  async function step(): Promise<void> {
    const last = store.lastBlock();
    if (last && last.hash !== (await chainHash(last.number))) {
      const fork = await forkPoint();
      log("warn", `chain reorganized below block ${last.number}: rolling back to block ${fork}`);
      store.rollbackTo(fork);
      receiver.book.clear();
      // Challenges sent in the dropped blocks are gone with them: send again where still needed.
      challenges.clear();
      credit = undefined;
    }
    const from = (store.lastBlock()?.number ?? firstBlock - 1n) + 1n;
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    if (head >= from && !(await readBlocks(from, head))) return;
    receiver.setHead(head >= from ? head : (store.lastBlock()?.number ?? head));
    credit ??= await publicClient.readContract({
      address: deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "claimable",
      args: [receiver.address],
    });
    options.onStep?.();
    await challengeStaleCloses(receiver.head());
  }

  /**
   * Closes at the receiver's proof every channel whose sender asked to close below it, while the challenge period
   * lasts. Never waits for a receipt inside a step: a sent challenge is checked on later polls, and sent again if
   * it reverted or has not been mined after 20 polls.
   */
  async function challengeStaleCloses(head: bigint) {
    for (const channel of receiver.book.select({ closePending: true })) {
      const request = channel.closeRequest;
      if (!request || channel.settled || !channel.signature) continue;
      if (request.balance >= channel.balance || head > request.settleBlock) continue;
      const key = `${channel.sender}:${channel.openBlock}`;
      const sent = challenges.get(key);
      if (sent && sent.balance === channel.balance) {
        const receipt = await publicClient.getTransactionReceipt({ hash: sent.hash }).catch((error: unknown) => {
          if (error instanceof TransactionReceiptNotFoundError) return undefined;
          throw error;
        });
        if (receipt?.status === "success") continue;
        if (!receipt && ++sent.polls <= 20) continue;
        log(
          "warn",
          `challenge ${sent.hash} for ${channel.sender}'s channel ${channel.openBlock} ${receipt ? "reverted" : "is not mined"}: sending again`,
        );
        challenges.delete(key);
      }
      try {
        const hash = await walletClient.writeContract({
          chain: null,
          address: deployment.channelManager,
          abi: channelManagerAbi,
          functionName: "cooperativeClose",
          args: [channel.sender, receiver.address, channel.openBlock, channel.balance, channel.signature, "0x"],
        });
        challenges.set(key, { balance: channel.balance, hash, polls: 0 });
        store.saveChallenge({
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: channel.balance,
          transactionHash: hash,
          lastError: undefined,
        });
        log(
          "info",
          `challenged ${channel.sender}'s close at ${request.balance}: closing at ${channel.balance} (${hash})`,
        );
      } catch (error) {
        // viem's first line can be generic ("Missing or invalid parameters."); the node's reason is in `details`.
        const details = error instanceof ViemBaseError ? error.details : undefined;
        const first = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
        const message = details && details !== first ? `${first} (${details})` : first;
        const noGas = /insufficient funds|enough funds|gas/i.test(message);
        store.saveChallenge({
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: channel.balance,
          transactionHash: undefined,
          lastError: message,
        });
        log(
          "error",
          `AUTO-CHALLENGE FAILED for ${channel.sender} channel ${channel.openBlock} (settles after block ${request.settleBlock}): ${noGas ? "the receiver account lacks gas, fund it now. " : ""}${message}. Retrying.`,
        );
      }
    }
  }

  async function loop() {
    try {
      await syncOnce();
    } catch (error) {
      log("error", `sync failed, retrying: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    } finally {
      if (timer !== undefined) timer = setTimeout(loop, options.pollIntervalMs ?? 1000);
    }
  }

  receiver.setCatchUp(syncOnce);
  return {
    syncOnce,
    /** The receiver's claimable credit as of the last block read (0 before the first sync). */
    credit: (): bigint => credit ?? 0n,
    /** Syncs once, then keeps polling until `stop`. */
    async start() {
      await syncOnce();
      timer = setTimeout(loop, options.pollIntervalMs ?? 1000);
    },
    async stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await (queued ?? current)?.catch(() => undefined);
    },
  };
}

export type Watcher = ReturnType<typeof createWatcher>;
export type { ChainEvent };
