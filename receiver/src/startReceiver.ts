import { apiPaths, type Deployment } from "@micro-raiden/web-client/protocol";
import { createPublicClient, createWalletClient, type Hex, http, type Transport } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { assertGenuineManager } from "./chain/assertGenuineManager.ts";
import { claimCredit } from "./chain/claimCredit.ts";
import { createWatcher } from "./chain/createWatcher.ts";
import { createOperator } from "./chain/operator.ts";
import { createOperatorActivity } from "./chain/operatorActivity.ts";
import { serialWalletClient } from "./chain/serialWalletClient.ts";
import { forwardToLeader, type LeaderParts } from "./cluster/forwardToLeader.ts";
import { type Cluster, joinCluster } from "./cluster/joinCluster.ts";
import { createSponsoredOpener, type SponsorOptions } from "./http/sponsoredOpener.ts";
import { sponsoredOpenKindsOf } from "./http/sponsoredOpenKindsOf.ts";
import type { Receiver } from "./Receiver.ts";
import { readTokenInfo } from "./readTokenInfo.ts";
import { createReceiverCore } from "./receiver/createReceiverCore.ts";
import { receiverFromCore } from "./receiver/receiverFromCore.ts";
import { defaultVerifierThreads } from "./receiver/verifierPool.ts";
import { openReceiverStore } from "./store/openReceiverStore.ts";
import type { ReceiverExact } from "./x402/ExactFacilitator.ts";
import { type ExactOptions, startExact } from "./x402/startExact.ts";

export type StartReceiverOptions = {
  /** The chain's JSON-RPC URL (or pass `transport`). It must serve the deployment's chain. */
  rpcUrl?: string | undefined;
  /** A viem transport to the chain, instead of `rpcUrl`. */
  transport?: Transport | undefined;
  /**
   * An RPC URL readers' browsers may read the chain through, put on every 402 page (`data-rpc-url`) so the paywall
   * needs no configuration: a public endpoint, never one with a key in it. Default: `rpcUrl` when it is on this
   * machine (a local chain: 127.0.0.1, localhost, [::1]), else none, and the paywall reads through the reader's wallet.
   */
  publicRpcUrl?: string | undefined;
  /** The chain's name for readers (a wallet's "add network" prompt), on every 402 page. Default: none. */
  chainName?: string | undefined;
  /** The deployment file's contents (`parseDeployment`). */
  deployment: Deployment;
  /** The receiver's private key (read it with `readPrivateKeyFile`). Never logged. */
  privateKey: Hex;
  /**
   * The SQLite file for proofs and the chain cursor (created 0600: it holds customers' signatures). Give this or
   * `databaseUrl`.
   */
  dbPath?: string | undefined;
  /**
   * A PostgreSQL database for the same state instead of the SQLite file: `postgres://user@host:port/database`
   * (the password in the URL or in PGPASSWORD). Its schema is created and migrated at start. Receivers sharing one
   * database elect one leader among them, which alone watches the chain and sends transactions (`joinCluster`); the
   * others learn the chain's changes from the database.
   */
  databaseUrl?: string | undefined;
  /**
   * With `databaseUrl`: how long the database keeps a silent leader's lock before another receiver takes over, in ms
   * (default 5000). A leader that dies loses it at once.
   */
  leaseMs?: number | undefined;
  /** Blocks a channel or top-up needs before it counts (1 = mined). */
  confirmations?: number | undefined;
  /** Root of the REST API, sent as RDN-Gateway-Path (default `/api/1`). */
  gatewayPath?: string | undefined;
  /** ms between chain polls (default 1000). */
  pollIntervalMs?: number | undefined;
  /** How long a retried request whose answer was cut off may be served again for free, in ms (default 60 000). */
  repeatWindowMs?: number | undefined;
  /**
   * Channels kept in memory at most (default 10 000, the least recently used go first): the others are read from the
   * store when a request names them, so a start reads no channel and memory stays flat as channels pile up.
   */
  maxChannels?: number | undefined;
  /**
   * How long a paid request may hold its channel, in ms (default 30 000): a handler or upstream that takes longer is
   * answered 504 and not charged, and a payment or the reader's close never waits longer behind another request.
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Worker threads that check balance proofs' signatures, beside the thread answering HTTP. Default: one per core
   * beyond two, at most 4 (`defaultVerifierThreads`), so none on a 2-core machine, where they cost more than they
   * give; 0 checks on the HTTP thread.
   */
  verifierThreads?: number | undefined;
  /**
   * Open readers' channels for them and pay the gas (off by default): the 402s offer it (RDN-Sponsored-Open) and
   * `receiverApi` takes the requests at `POST <gateway>/sponsored-open`, within a minimum deposit and rate limits.
   */
  sponsor?: SponsorOptions | undefined;
  /**
   * x402's `exact` scheme (one on-chain transfer per request), offered on every 402 when the token has EIP-3009 (as
   * USDC): by default the receiver settles it itself, paying the gas, through its one nonce source. `false` turns it
   * off; `facilitatorUrl` has an x402 facilitator verify and settle instead.
   */
  exact?: ExactOptions | false | undefined;
  /** Where operational messages go (default: console). */
  log?: ((level: "info" | "warn" | "error", message: string) => void) | undefined;
};

/**
 * Starts a receiver from options: opens the store, syncs the chain from the deployment block (or the stored
 * cursor) and keeps following it — confirmations, reorgs, auto-challenges of stale closes. Refuses a chain that is
 * not the deployment's, and a channel manager that is not a genuine ChannelManager of the deployment's token
 * (UntrustedManagerError). Mount `paywall({ receiver, price })` on your routes and `receiverApi({ receiver })` at its
 * gateway path; `close()` stops it.
 *
 * @example
 * import { Hono } from "hono";
 * import { paywall, receiverApi, startReceiver } from "@micro-raiden/receiver";
 * const receiver = await startReceiver({ rpcUrl, deployment, privateKey, dbPath: "receiver.db" });
 * const app = new Hono();
 * app.route(receiver.gatewayPath, receiverApi({ receiver }));
 * app.get("/report", paywall({ receiver, price: 10n ** 15n }), (c) => c.text("the paid report"));
 */
export async function startReceiver(options: StartReceiverOptions): Promise<Receiver> {
  const account = privateKeyToAccount(options.privateKey);
  const transport = options.transport ?? http(options.rpcUrl);
  const publicClient = createPublicClient({ transport });
  let cluster: Cluster | undefined;
  // Every transaction the receiver sends (challenges, operator commands, claims, sponsored opens) takes its turn here;
  // a receiver sharing its database sends only while it is the leader, asked of the database right before each send.
  const walletClient = serialWalletClient(createWalletClient({ account, transport }), {
    beforeSend: async () => cluster?.confirmLeader(),
  });
  const chainId = await publicClient.getChainId();
  if (chainId !== options.deployment.chainId) {
    throw new Error(`The RPC serves chain ${chainId}, the deployment is on chain ${options.deployment.chainId}.`);
  }
  await assertGenuineManager(publicClient, options.deployment);
  const token = await readTokenInfo(publicClient, options.deployment.token);
  // Read before anything is opened: what the sponsor offer names (one signature on a token with EIP-3009).
  const sponsorKinds = options.sponsor ? await sponsoredOpenKindsOf(publicClient, options.deployment.token) : [];
  const { store, proofWriter, shared, rateEvents, readTotals } = await openReceiverStore(options);
  let exact: ReceiverExact | undefined;
  try {
    // Receivers sharing a database send transactions only from their leader: there `exact` needs a facilitator.
    const settlesItself = options.exact !== false && options.exact?.facilitatorUrl === undefined;
    exact =
      options.exact === false || (settlesItself && options.databaseUrl !== undefined)
        ? undefined
        : await startExact({
            ...options.exact,
            token: options.deployment.token,
            publicClient,
            walletClient,
            store: options,
            confirmations: options.confirmations,
            pollingInterval: options.pollIntervalMs,
          });
  } catch (error) {
    await proofWriter.close();
    store.close();
    throw error;
  }
  const core = createReceiverCore({
    store,
    account,
    deployment: options.deployment,
    confirmations: options.confirmations,
    gatewayPath: options.gatewayPath,
    repeatWindowMs: options.repeatWindowMs,
    maxChannels: options.maxChannels,
    requestTimeoutMs: options.requestTimeoutMs,
    verifierThreads: options.verifierThreads ?? defaultVerifierThreads(),
    proofWriter,
    shared,
    readTotals,
    log: options.log,
  });
  await core.verifierReady;
  const watcher = createWatcher({
    receiver: core,
    publicClient,
    walletClient,
    pollIntervalMs: options.pollIntervalMs,
    log: options.log,
    onStep: () => cluster?.announceStep(),
  });
  try {
    if (options.databaseUrl === undefined) await watcher.start();
    else {
      cluster = await joinCluster({
        url: options.databaseUrl,
        core,
        watcher,
        publicClient,
        pollIntervalMs: options.pollIntervalMs,
        leaseMs: options.leaseMs,
        log: options.log,
      });
    }
  } catch (error) {
    await core.closeVerifier();
    await exact?.ledger.close();
    await proofWriter.close();
    store.close();
    throw error;
  }
  const sync = () => (cluster ? cluster.sync() : watcher.syncOnce());
  // What the operator's commands sent and mined, for the dashboard to follow while one runs.
  const activity = createOperatorActivity();
  const local: LeaderParts = {
    sponsor:
      options.sponsor &&
      createSponsoredOpener({
        ...options.sponsor,
        deployment: options.deployment,
        account,
        publicClient,
        walletClient,
        path: `${core.gatewayPath}${apiPaths.sponsoredOpen}`,
        kinds: sponsorKinds,
        sync,
        rateEvents,
      }),
    operator: createOperator({
      receiver: core,
      publicClient,
      walletClient,
      sync,
      log: (level, message) => {
        activity.record(message);
        if (options.log) options.log(level, message);
        else console[level](`[operator] ${message}`);
      },
    }),
    claim: () => claimCredit({ channelManager: options.deployment.channelManager, publicClient, walletClient }),
  };
  // On a follower they run on the leader, passed through the database.
  let leaderParts = local;
  if (cluster) {
    const forwarded = forwardToLeader(local, cluster.askLeader, cluster.isLeader);
    cluster.serveLeaderRequests(forwarded.handle);
    leaderParts = forwarded;
  }
  return receiverFromCore(core, {
    publicClient,
    token,
    site: {
      rpcUrl: options.publicRpcUrl ?? (isLocal(options.rpcUrl) ? options.rpcUrl : undefined),
      chainName: options.chainName,
      token: { symbol: token.symbol, decimals: token.decimals },
    },
    ...leaderParts,
    exact,
    sync,
    operatorActivity: activity.recent,
    claimableCredit: () => (cluster ? cluster.claimableCredit() : watcher.credit()),
    async close() {
      await cluster?.close();
      await watcher.stop();
      await core.closeVerifier();
      await exact?.ledger.close();
      await proofWriter.close();
      store.close();
    },
  });
}

/** Whether `rpcUrl` is on this machine: a local chain, which a reader's browser on the same machine reaches too. */
function isLocal(rpcUrl: string | undefined): boolean {
  if (!rpcUrl) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(rpcUrl).hostname);
  } catch {
    return false;
  }
}
