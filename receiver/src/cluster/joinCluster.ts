import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import type { PublicClient } from "viem";
import type { Watcher } from "../chain/createWatcher.ts";
import type { ReceiverCore } from "../receiver/createReceiverCore.ts";
import { electLeader, type Leadership } from "./electLeader.ts";
import { followDatabase } from "./followDatabase.ts";
import { type LeaderRequestKind, leaderRequests } from "./leaderRequests.ts";

export type ClusterOptions = {
  /** The PostgreSQL database the receivers share. */
  url: string;
  core: ReceiverCore;
  /** This receiver's watcher: it runs only while this receiver leads. */
  watcher: Watcher;
  publicClient: PublicClient;
  pollIntervalMs?: number | undefined;
  /** See `electLeader`. */
  leaseMs?: number | undefined;
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/** How often a follower reads the receiver's claimable credit from the chain (the leader follows its events). */
const creditReadMs = 10_000;

/**
 * Makes this receiver one of the receivers sharing a PostgreSQL database: its book is built from the database and
 * kept up to date from it (`followDatabase`), and it takes part in the election of the one receiver that watches the
 * chain and sends transactions (`electLeader`). As leader it runs its watcher, which stores what it reads for the
 * others and tells them; as follower it never polls the chain for channels, and a payment naming a channel it does
 * not know asks the leader to read the chain now. Resolves once the book is built and, when it won the election, the
 * watcher's first step is done.
 */
export async function joinCluster(options: ClusterOptions) {
  const { core, watcher, publicClient } = options;
  const log = options.log ?? ((level, message) => console[level](`[cluster] ${message}`));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let leading = false;
  let closing = false;
  let credit = 0n;
  const follower = followDatabase({
    url: options.url,
    core,
    pollIntervalMs,
    log,
    onSyncRequest() {
      if (leading) void watcher.syncOnce().catch(() => undefined);
    },
  });
  await follower.start();
  core.setCatchUp((known) => follower.catchUp(known));
  const requests = leaderRequests({ url: options.url, log });
  let handle: ((kind: LeaderRequestKind, body: unknown) => Promise<unknown>) | undefined;

  /** The watcher's first step (it throws when the chain cannot be read): retried while this receiver leads. */
  async function startWatching() {
    while (leading && !closing) {
      try {
        await watcher.start();
        return;
      } catch (error) {
        log("error", `the leader cannot read the chain, retrying: ${error instanceof Error ? error.message : error}`);
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      }
    }
  }

  async function readCredit() {
    credit = await publicClient.readContract({
      address: core.deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "claimable",
      args: [core.address],
    });
  }
  const creditTimer = setInterval(() => {
    if (!leading) void readCredit().catch(() => undefined);
  }, creditReadMs);
  creditTimer.unref();
  await readCredit().catch(() => undefined);

  const leadership: Leadership = await electLeader({
    url: options.url,
    leaseMs: options.leaseMs,
    log,
    async onElected() {
      // What the last leader stored since this book's last read, before this receiver's watcher goes on from there.
      await follower.rebuild();
      follower.followChain(false);
      leading = true;
      core.setCatchUp(watcher.syncOnce);
      await startWatching();
      requests.serve(handle);
    },
    async onDeposed() {
      leading = false;
      requests.serve(undefined);
      await watcher.stop();
      if (closing) return;
      follower.followChain(true);
      core.setCatchUp((known) => follower.catchUp(known));
      await follower.rebuild().catch(() => undefined);
    },
  });

  return {
    isLeader: () => leading,
    /** Runs a request only the leader serves there, and answers with what it answered (`forwardToLeader`). */
    askLeader: requests.ask,
    /** What this receiver serves the others' requests with while it leads. */
    serveLeaderRequests(handler: (kind: LeaderRequestKind, body: unknown) => Promise<unknown>) {
      handle = handler;
      if (leading) requests.serve(handler);
    },
    /** Throws NotLeaderError unless this receiver leads now (checked with the database before each transaction). */
    confirmLeader: () => leadership.confirm(),
    /** Tells the followers the leader stored a chain step (the watcher's `onStep`). */
    announceStep() {
      void follower.announceStep().catch(() => undefined);
    },
    /** The leader reads the chain now; a follower asks it to and reads what it stored. */
    async sync() {
      if (leading) return watcher.syncOnce();
      await follower.catchUp();
      await readCredit();
    },
    claimableCredit: () => (leading ? watcher.credit() : credit),
    async close() {
      closing = true;
      clearInterval(creditTimer);
      await leadership.close();
      await requests.close();
      await follower.close();
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof joinCluster>>;
