import {
  apiPrefix,
  balanceProofTypedData,
  type ChannelEcho,
  closingAgreementTypedData,
  type Deployment,
  headerNames,
  type Payment,
  type PaymentFailure,
  type PaymentRequirements,
  packDelegatedSignature,
  unpackDelegatedSignature,
  verifyCloseRequest,
  verifySignerDelegation,
} from "@micro-raiden/web-client/protocol";
import { type Address, getAddress, type Hex, type LocalAccount, recoverTypedDataAddress } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ProofCommit, ProofCommitResult } from "../store/proofCommit.ts";
import type { ProofWriter } from "../store/proofWriter.ts";
import type { ProofRecord } from "../store/records.ts";
import type { SharedPayments, StoredChannelState } from "../store/SharedPayments.ts";
import {
  type BookTotals,
  blocksToConfirmation,
  ChannelBook,
  type ChannelView,
  channelKey,
  channelStatus,
  confirmedDeposit,
  type LatestPayment,
} from "./channelBook.ts";
import { GroupCommitter } from "./groupCommitter.ts";
import { createProofVerifier } from "./verifierPool.ts";

export type ReceiverCoreOptions = {
  store: ProofStore;
  /** The receiver's key: signs closing agreements (and, in the watcher, transactions). Never logged. */
  account: LocalAccount;
  deployment: Deployment;
  /** Blocks a channel or top-up needs before it counts (1 = included in a block). */
  confirmations?: number | undefined;
  /** Root of the REST API, sent as RDN-Gateway-Path. */
  gatewayPath?: string | undefined;
  /** How long a payment that arrived ahead of its predecessor waits for it, in ms. */
  reorderWindowMs?: number | undefined;
  /** Where accepted proofs are committed; default the store itself, on this thread (see workerProofWriter). */
  proofWriter?: ProofWriter | undefined;
  /**
   * The database other receivers share (PostgreSQL): then every payment commits with a compare-and-set on the
   * balance this receiver saw, closing marks and the retry rule's delivery marks live there, and the channel book
   * is a cache a lost compare-and-set refreshes. Takes the place of `proofWriter`.
   */
  shared?: SharedPayments | undefined;
  /**
   * Adds up the /stats totals off the thread answering requests (SQLite's `sqliteTotalsReader`); default: the store,
   * on this thread. With `shared` the database adds them up.
   */
  readTotals?: ((confirmedBlock: bigint) => Promise<BookTotals>) | undefined;
  /**
   * How long after its commit a payment's request may be served once more for free when the client retries it
   * with the same proof (its answer was cut off), in ms. Default 60 000.
   */
  repeatWindowMs?: number | undefined;
  /**
   * How long a paid request may hold its channel, and the longest anything waits for a channel, in ms (default
   * 30 000). The paywall answers a handler that takes longer 504 and charges nothing; a payment or a close that would
   * wait longer behind another request is refused instead, so nothing hangs on a stuck request.
   */
  requestTimeoutMs?: number | undefined;
  /**
   * Channels the book keeps in memory at most (default 10 000): the others are read from the store when a payment
   * names them, so memory stays flat and a start reads no channel.
   */
  maxChannels?: number | undefined;
  /** The clock, in ms since the epoch (for tests). */
  now?: (() => number) | undefined;
  /**
   * Worker threads that check balance proofs' signatures (default 0: on the calling thread). `startReceiver` sizes it to
   * the machine (`defaultVerifierThreads`); `close()` stops them.
   */
  verifierThreads?: number | undefined;
  /** Where operational messages go (which signature verifier is in use); default: console. */
  log?: ((level: "info" | "warn", message: string) => void) | undefined;
};

/** Default of `requestTimeoutMs`: long enough for a slow upstream, short enough that a reader is not left waiting. */
export const defaultRequestTimeoutMs = 30_000;

/** The longest a close request may be valid for, in seconds: a stolen request is soon worthless. */
const maxCloseRequestLifetime = 3600n;

/** Asked when a payment names a channel the book does not know: a channel opened a moment ago may be on chain. */
/**
 * Brings the book up to the chain now (a payment named a channel it does not know). `known` says whether what it
 * waits for is there: a receiver learning the chain from another one's stored steps waits on until it is (or its
 * time is up), not merely for the next step stored, which may have been read before the channel was opened.
 */
export type CatchUp = (known?: () => boolean) => Promise<void>;

/** Why a request with a payment cannot be served: a 402 failure, or a 400 for a payment meant for someone else. */
export type PaymentRejection =
  | { kind: "failure"; failure: PaymentFailure; echo: ChannelEcho | undefined }
  | {
      kind: "bad_request";
      code: "wrong_contract" | "wrong_receiver" | "invalid_signer_delegation";
      message: string;
    }
  /** The channel stayed held by another request for the whole request timeout: nothing was charged, retry. */
  | { kind: "timeout"; message: string }
  /** The shared database could not be reached: nothing is known to be charged, retry after `retryAfterSeconds`. */
  | { kind: "unavailable"; message: string; retryAfterSeconds: number };

/** Why `settle` did not charge: a 402 failure (another receiver took the balance) or the database out of reach. */
export type SettleRefusal = Extract<PaymentRejection, { kind: "failure" | "unavailable" }>;

/** Whether a receiver should get traffic: what `/readyz` reports. */
export type Readiness = {
  ready: boolean;
  /** "sqlite": its own file; "ok": the shared database answered; "unreachable": it did not, in time. */
  database: "sqlite" | "ok" | "unreachable";
  /** The chain head this receiver's book is at. */
  head: bigint;
  /** The chain actor's cursor in the shared database. */
  storedHead?: bigint | undefined;
  /** Why it is not ready. */
  reason?: string | undefined;
};

/** How far a receiver's book may trail the stored cursor and still count as caught up (a notification in flight). */
const readyLagBlocks = 2n;
/** How long a readiness check waits for the database. */
const readyTimeoutMs = 2000;

/** Seconds a client is told to wait (Retry-After) when the database is out of reach: PostgreSQL restarts in a few. */
export const storeRetryAfterSeconds = 2;

/** A verified payment, held until the paid response is ready; `settle` commits it durably, `release` drops it. */
export type AcceptedPayment = {
  kind: "accepted";
  echo: ChannelEcho;
  /**
   * True when this is a retry of the channel's latest payment, for the same request, whose answer never arrived:
   * it is served again without a second charge (once, within the repeat window).
   */
  repeat: boolean;
  /**
   * Commits the proof (durable when it resolves); call before sending the paid content, and send it only when this
   * resolves with undefined. A rejection means nothing was charged and the content must not go out: another receiver
   * on the shared database took this channel's next payment first (402, with the balance it holds now), or the
   * database is out of reach (503).
   */
  settle(): Promise<SettleRefusal | undefined>;
  /** Gives the channel back without charging (the content could not be produced). */
  release(): void;
  /** Marks the paid response as sent in full: from now on a retry of this payment is charged as a new one. */
  delivered(): void;
  /**
   * Takes the payment's one delivery beyond its paid answer, for a navigation ticket's reload: true once, false when
   * it is used (by a repeat, or an earlier call) or the payment was not committed. Always false for a repeat.
   */
  takeSecondDelivery(): boolean;
};

/** What a sender sends to ask for the receiver's closing signature (the REST API's DELETE body, decoded). */
export type ClosingSignatureRequest = {
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  signature: Hex;
  /** The sender's signed close request for this balance, valid until `deadline` (unix seconds). */
  deadline: bigint;
  requestSignature: Hex;
  /** The current time in unix seconds (for tests). */
  now?: bigint;
};

export type ClosingSignatureResult =
  | { ok: true; signature: Hex }
  | { ok: false; status: 403 | 404 | 409; code: "unauthorized" | "not_found" | "conflict"; message: string }
  | { ok: false; status: 503; code: "store_unavailable"; message: string; retryAfterSeconds: number };

/** A channel's latest proof, as the operator's on-chain commands use it. */
export type ChannelProof = { sender: Address; openBlock: bigint; balance: bigint; signature: Hex };

/** The receiver's core: channel state, payment acceptance, closing signatures. HTTP- and RPC-free. */
export type ReceiverCore = ReturnType<typeof createReceiverCore>;

/**
 * Creates the receiver: loads stored proofs and chain events, and accepts payments. Each payment is checked
 * (contract, receiver, channel confirmed and open, amount exactly last balance + price, signature by the sender or
 * its delegated signer, within the deposit) while the channel is held, so parallel requests on one channel are
 * charged one after another, each exactly once; a payment that overtook its predecessor waits briefly for it.
 */
export function createReceiverCore(options: ReceiverCoreOptions) {
  const { store, account, deployment } = options;
  const confirmations = options.confirmations ?? 1;
  const gatewayPath = options.gatewayPath ?? apiPrefix;
  const reorderWindowMs = options.reorderWindowMs ?? 500;
  const repeatWindowMs = options.repeatWindowMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  if (!Number.isSafeInteger(requestTimeoutMs) || requestTimeoutMs < 1) {
    throw new Error("requestTimeoutMs must be a whole number of milliseconds, at least 1.");
  }
  const now = options.now ?? Date.now;
  const log = options.log ?? ((level, message) => console[level](`[receiver] ${message}`));
  const receiver = account.address;
  const domain = { chainId: deployment.chainId, contract: deployment.channelManager };
  const { shared } = options;
  // A channel a request holds stays in memory: the request works on its view.
  const book = new ChannelBook({
    store,
    maxChannels: options.maxChannels,
    pinned: (key) => held.has(key),
    repeatWindowMs,
    now,
  });
  const verifier = createProofVerifier({
    chainId: deployment.chainId,
    contract: deployment.channelManager,
    receiver,
    threads: options.verifierThreads ?? 0,
    log: options.log,
  });
  const committed: ProofCommitResult = { committed: true };
  const committer = new GroupCommitter<ProofCommit, ProofCommitResult>(
    shared
      ? (commits) => shared.commitProofs(commits)
      : async (commits) => {
          // One process owns a SQLite file: its holds keep each channel's commits in order.
          const proofs = commits.map((c) => c.proof);
          await (options.proofWriter ? options.proofWriter.write(proofs) : store.saveProofs(proofs));
          return commits.map(() => committed);
        },
  );
  const unavailable = (error: unknown): Extract<PaymentRejection, { kind: "unavailable" }> => {
    log("warn", `The database is out of reach: ${error instanceof Error ? error.message : String(error)}`);
    return {
      kind: "unavailable",
      message: "The receiver's database cannot be reached right now; nothing was charged: retry.",
      retryAfterSeconds: storeRetryAfterSeconds,
    };
  };

  /**
   * Brings the book's entry for a channel up to what the shared database holds (another receiver's payment or close
   * mark); delivery marks only ever go from false to true. Call it holding the channel.
   */
  function refresh(
    sender: Address,
    openBlock: bigint,
    state: StoredChannelState | Extract<ProofCommitResult, { committed: false }>,
  ) {
    const { current } = state;
    if (current) {
      const known = book.get(sender, openBlock)?.latest;
      const same = known && known.balance === current.balance && known.signature === current.signature;
      if (!same) book.recordProof(current);
      const latest = book.get(sender, openBlock)?.latest;
      if (latest && latest.balance === current.balance && "secondDeliveryUsed" in current) {
        latest.delivered ||= current.delivered;
        latest.secondDeliveryUsed ||= current.secondDeliveryUsed;
      }
    }
    if (state.closing) book.markClosing(sender, openBlock);
  }
  let head = store.lastBlock()?.number ?? 0n;
  /** The last /stats totals asked for: read again once the book saw a change, one read at a time. */
  let totalsRead: { version: number; confirmedBlock: bigint; value: Promise<BookTotals>; done: boolean } | undefined;
  const readTotals =
    options.readTotals ??
    (shared ? (block: bigint) => shared.channelTotals(block) : async (block: bigint) => store.channelTotals(block));
  let catchUp: CatchUp | undefined;

  // One holder per channel at a time; `changed` wakes payments waiting for a predecessor.
  const held = new Map<string, Promise<void>>();
  const changed = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  function notify(key: string) {
    changed.get(key)?.resolve();
    changed.delete(key);
  }
  function nextChange(key: string): Promise<void> {
    let entry = changed.get(key);
    if (!entry) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      entry = { promise, resolve };
      changed.set(key, entry);
    }
    return entry.promise;
  }
  /** Takes the channel once it is free; undefined when it is still held at `deadline` (ms since the epoch). */
  async function hold(key: string, deadline: number): Promise<(() => void) | undefined> {
    for (;;) {
      const current = held.get(key);
      if (!current) break;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        current,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
    let release = () => {};
    held.set(
      key,
      new Promise<void>((resolve) => {
        release = () => {
          held.delete(key);
          resolve();
        };
      }),
    );
    return release;
  }

  function requirements(price: bigint): PaymentRequirements {
    return {
      gatewayPath,
      receiver,
      contract: deployment.channelManager,
      token: deployment.token,
      chainId: deployment.chainId,
      price,
    };
  }

  function echoOf(channel: ChannelView): ChannelEcho {
    return { sender: channel.sender, balance: channel.balance, signature: channel.signature };
  }

  // Delegations already checked, by channel and delegation signature → the key they delegate to. A delegated key's
  // every payment carries its delegation; checking it once per key keeps later payments at one fast recovery.
  const delegations = new Map<string, Address>();
  const delegationsLimit = 10_000;

  /**
   * The key a payment's `RDN-Signer-Delegation` delegates to (the address its proof recovers to), once the sender's
   * delegation of this channel to that key is checked; undefined when the delegation is not the sender's for it.
   */
  async function delegatedSigner(payment: Payment & { delegation: Hex }): Promise<Address | undefined> {
    const key = `${channelKey(payment.sender, payment.openBlock)}:${payment.delegation}`;
    const known = delegations.get(key);
    if (known) return known;
    const channel = { sender: payment.sender, receiver, openBlock: payment.openBlock };
    let signer: Address;
    try {
      signer = getAddress(
        await recoverTypedDataAddress({
          ...balanceProofTypedData(domain, { ...channel, balance: payment.balance }),
          signature: payment.signature,
        }),
      );
    } catch {
      return undefined;
    }
    if (!(await verifySignerDelegation({ domain, message: { ...channel, signer }, signature: payment.delegation }))) {
      return undefined;
    }
    if (delegations.size >= delegationsLimit) delegations.clear();
    delegations.set(key, signer);
    return signer;
  }

  /**
   * A refusal. The channel's last proof is echoed only to someone who proved to be its sender (a valid signature
   * for the balance they presented): it is the sender's own data, and nobody else's business.
   */
  function failure(
    code: PaymentFailure["code"],
    channel: ChannelView | undefined,
    signedBySender: boolean,
    value = 1n,
  ): Extract<PaymentRejection, { kind: "failure" }> {
    return { kind: "failure", failure: { code, value }, echo: channel && signedBySender ? echoOf(channel) : undefined };
  }

  /** Tells the shared database a payment's answer went out (best effort: a retry then pays again at worst). */
  function markDelivered(sender: Address, openBlock: bigint, balance: bigint) {
    shared?.markDelivered(sender, openBlock, balance).catch((error: unknown) => {
      log("warn", `Could not record a delivery: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /**
   * Another receiver committed this channel's next payment first (or marked it closing): the book learns the stored
   * proof, and the payment is refused with it (the client pays again on the balance echoed) — unless it is that very
   * proof, retried here for the request whose answer the other receiver never delivered: served once more, free.
   */
  async function lostCommit(
    channel: ChannelView,
    proof: ProofRecord,
    result: Extract<ProofCommitResult, { committed: false }>,
  ): Promise<SettleRefusal | undefined> {
    refresh(channel.sender, channel.openBlock, result);
    const now_ = now();
    const { current } = result;
    if (
      shared &&
      !result.closing &&
      current?.balance === proof.balance &&
      current.signature === proof.signature &&
      current.request === proof.request &&
      now_ - current.committedAt <= repeatWindowMs
    ) {
      try {
        const taken = await shared.takeSecondDelivery({
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: current.balance,
          signature: current.signature,
          repeat: { request: proof.request, committedSince: now_ - repeatWindowMs },
        });
        if (taken) {
          const latest = book.get(channel.sender, channel.openBlock)?.latest;
          if (latest) latest.secondDeliveryUsed = true;
          return undefined;
        }
      } catch (error) {
        return unavailable(error);
      }
    }
    const latest = book.get(channel.sender, channel.openBlock) ?? channel;
    if (result.closing) return failure("nonexisting_channel", latest, true);
    return failure("invalid_amount", latest, true);
  }

  /**
   * Checks a payment for `price` on `request` (`METHOD /path?query`) and holds its channel; the caller settles or
   * releases it. `paidPrice`: the price the client says it paid (a client paying before it saw the 402, at a price
   * announced earlier); another one is refused at once, never taken for a payment that overtook its predecessor.
   */
  async function acceptPayment(
    payment: Payment,
    price: bigint,
    request: string,
    paidPrice?: bigint,
  ): Promise<AcceptedPayment | PaymentRejection> {
    if (payment.contract !== deployment.channelManager) {
      return {
        kind: "bad_request",
        code: "wrong_contract",
        message: `This receiver uses ${deployment.channelManager}.`,
      };
    }
    if (payment.receiver !== receiver) {
      return { kind: "bad_request", code: "wrong_receiver", message: `This receiver is ${receiver}.` };
    }
    // A proof by a key the sender delegated off-chain: the delegation is checked at the boundary (a bad one is the
    // client's error, never a payment), the key signs for this payment beside the channel's own signers, and the
    // proof is stored packed with its delegation, as the contract takes it.
    let extraSigner: Address | undefined;
    let signature = payment.signature;
    if (payment.delegation) {
      const delegation = payment.delegation;
      extraSigner = await delegatedSigner({ ...payment, delegation });
      if (!extraSigner) {
        return {
          kind: "bad_request",
          code: "invalid_signer_delegation",
          message: `${headerNames.signerDelegation} is not ${payment.sender}'s delegation of this channel to the key that signed the balance proof.`,
        };
      }
      signature = packDelegatedSignature({ proof: payment.signature, signer: extraSigner, delegation });
    }
    const key = channelKey(payment.sender, payment.openBlock);
    const deadline = Date.now() + reorderWindowMs;
    const holdDeadline = Date.now() + requestTimeoutMs;
    if (!book.get(payment.sender, payment.openBlock)) {
      await catchUp?.(() => book.get(payment.sender, payment.openBlock) !== undefined).catch(() => undefined);
    }
    let signedBySender = false;
    let verifiedFor: string | undefined;
    // With a shared database the book may be behind another receiver's payments: read the channel once before
    // refusing an amount (or waiting for a predecessor) on what memory says.
    let refreshed = shared === undefined;
    for (;;) {
      const release = await hold(key, holdDeadline);
      if (!release) {
        return {
          kind: "timeout",
          message: `Another request held this channel for over ${requestTimeoutMs} ms; nothing was charged: retry.`,
        };
      }
      const reject = (rejection: PaymentRejection) => {
        release();
        return rejection;
      };
      const channel = book.get(payment.sender, payment.openBlock);
      if (!channel) return reject(failure("nonexisting_channel", undefined, false));
      // Verified once, first: whether the request may see the channel's echo depends on it. Again only if the
      // channel's signers changed (a reorganization replaced it while a verifier thread had the check).
      const signers = channel.signer ? [channel.signer, channel.sender] : [channel.sender];
      if (extraSigner) signers.push(extraSigner);
      if (verifiedFor !== signers.join()) {
        verifiedFor = signers.join();
        signedBySender = await verifier.verify({
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: payment.balance,
          signature: payment.signature,
          signers,
        });
        if (book.get(payment.sender, payment.openBlock) !== channel) {
          release();
          continue;
        }
      }
      const status = channelStatus(channel, head, confirmations);
      if (status === "pending") {
        const blocksLeft = blocksToConfirmation(channel, head, confirmations);
        return reject(failure("insufficient_confirmations", channel, signedBySender, blocksLeft));
      }
      if (status !== "open" || channel.closing) {
        return reject(failure("nonexisting_channel", channel, signedBySender));
      }
      if (!signedBySender) return reject(failure("invalid_balance_proof", channel, false));

      // The client retries a request whose answer it never got with the very same proof: serve it once more, free,
      // if it is for the same request, recent, its answer is not known to have gone out, and its second delivery
      // (this repeat, or a navigation ticket's reload) is not used.
      const latest = channel.latest;
      if (
        latest &&
        payment.balance === latest.balance &&
        signature === latest.signature &&
        latest.request === request &&
        !latest.delivered &&
        !latest.secondDeliveryUsed &&
        now() - latest.committedAt <= repeatWindowMs
      ) {
        let done = false;
        const finish = () => {
          if (done) return false;
          done = true;
          release();
          notify(key);
          return true;
        };
        return {
          kind: "accepted",
          echo: echoOf(channel),
          repeat: true,
          async settle() {
            // Consumed only once the content is ready: a repeat whose handler failed may be tried again.
            if (done) return undefined;
            if (shared) {
              // Once, whichever receiver the retries reach: the mark is the database's.
              let taken: boolean;
              try {
                taken = await shared.takeSecondDelivery({
                  sender: channel.sender,
                  openBlock: channel.openBlock,
                  balance: latest.balance,
                  signature: latest.signature,
                  repeat: { request, committedSince: now() - repeatWindowMs },
                });
              } catch (error) {
                finish();
                return unavailable(error);
              }
              if (!taken) {
                latest.secondDeliveryUsed = true;
                finish();
                return failure("invalid_amount", channel, true);
              }
            }
            if (finish()) latest.secondDeliveryUsed = true;
            return undefined;
          },
          release: finish,
          delivered() {
            latest.delivered = true;
            markDelivered(channel.sender, channel.openBlock, latest.balance);
          },
          takeSecondDelivery: () => false,
        };
      }

      if (paidPrice !== undefined && paidPrice !== price) return reject(failure("invalid_amount", channel, true));
      const expected = channel.balance + price;
      if (payment.balance !== expected && !refreshed && shared) {
        refreshed = true;
        release();
        try {
          refresh(payment.sender, payment.openBlock, await shared.channelState(payment.sender, payment.openBlock));
        } catch (error) {
          return unavailable(error);
        }
        continue;
      }
      if (payment.balance > expected && Date.now() < deadline) {
        // Overtook its predecessor on the wire: wait for the channel to move, then look again.
        release();
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          nextChange(key),
          new Promise((resolve) => {
            timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
        continue;
      }
      if (payment.balance !== expected) return reject(failure("invalid_amount", channel, true));
      if (payment.balance > confirmedDeposit(channel, head, confirmations)) {
        return reject(failure("invalid_balance_proof", channel, true));
      }
      let done = false;
      let committed: LatestPayment | undefined;
      const expectedBalance = channel.balance;
      return {
        kind: "accepted",
        echo: { sender: channel.sender, balance: payment.balance, signature },
        repeat: false,
        async settle() {
          if (done) return undefined;
          done = true;
          try {
            const proof: ProofRecord = {
              sender: channel.sender,
              openBlock: channel.openBlock,
              balance: payment.balance,
              signature,
              request,
              committedAt: now(),
            };
            let result: ProofCommitResult;
            try {
              result = await committer.commit({ proof, expectedBalance });
            } catch (error) {
              // Perhaps committed, perhaps not: a retry with this proof is served once, free, if it was.
              if (shared) return unavailable(error);
              throw error;
            }
            if (result.committed) {
              committed = book.recordProof(proof);
              return undefined;
            }
            return await lostCommit(channel, proof, result);
          } finally {
            release();
            notify(key);
          }
        },
        release() {
          if (done) return;
          done = true;
          release();
          notify(key);
        },
        delivered() {
          if (!committed) return;
          committed.delivered = true;
          markDelivered(channel.sender, channel.openBlock, committed.balance);
        },
        takeSecondDelivery() {
          if (!committed || committed.secondDeliveryUsed) return false;
          committed.secondDeliveryUsed = true;
          return true;
        },
      };
    }
  }

  /**
   * The receiver's closing signature at `balance`, given the sender's own proof for it (so only the sender can
   * ask). A proof above the stored balance is stored first (it is a valid, higher payment); one below is refused.
   * Asking again returns the same signature.
   */
  async function closingSignature(parameters: ClosingSignatureRequest): Promise<ClosingSignatureResult> {
    const key = channelKey(parameters.sender, parameters.openBlock);
    // A paid request holds the channel for at most the request timeout, so the close waits for no stuck one.
    const release = await hold(key, Date.now() + requestTimeoutMs);
    if (!release) {
      return {
        ok: false,
        status: 409,
        code: "conflict",
        message: `A request held this channel for over ${requestTimeoutMs} ms: retry the close.`,
      };
    }
    try {
      // Read under the hold: a reorg (which drops the book's channels) or a payment may have replaced or moved the
      // channel meanwhile.
      const channel = book.get(parameters.sender, parameters.openBlock);
      if (!channel || channel.settled)
        return { ok: false, status: 404, code: "not_found", message: "No such channel." };
      const seconds = parameters.now ?? BigInt(Math.floor(now() / 1000));
      if (parameters.deadline < seconds || parameters.deadline > seconds + maxCloseRequestLifetime) {
        return {
          ok: false,
          status: 403,
          code: "unauthorized",
          message: `The close request expired or runs too far ahead (deadline must be within ${maxCloseRequestLifetime} s).`,
        };
      }
      // The request must be the sender's own (or its session key's): a balance proof alone may have become public.
      // A key delegated off-chain whose proof is the latest stored may close too (its page holds no other key).
      const delegated = channel.signature && unpackDelegatedSignature(channel.signature);
      const requestedBy = (delegatedSigner: Address | undefined) =>
        verifyCloseRequest({
          domain,
          message: {
            sender: channel.sender,
            receiver,
            openBlock: channel.openBlock,
            balance: parameters.balance,
            deadline: parameters.deadline,
          },
          signature: parameters.requestSignature,
          delegatedSigner,
        });
      const requested = (await requestedBy(channel.signer)) || (!!delegated && (await requestedBy(delegated.signer)));
      const signers = channel.signer ? [channel.signer, channel.sender] : [channel.sender];
      if (delegated) signers.push(delegated.signer);
      if (!requested || !(await verifier.verify({ ...parameters, signers }))) {
        return {
          ok: false,
          status: 403,
          code: "unauthorized",
          message: "Not the sender's close request and proof for this balance.",
        };
      }
      if (parameters.balance < channel.balance) {
        return {
          ok: false,
          status: 409,
          code: "conflict",
          message: `The receiver holds a proof for ${channel.balance}; close at that balance.`,
        };
      }
      if (parameters.balance > confirmedDeposit(channel, head, confirmations)) {
        return { ok: false, status: 409, code: "conflict", message: "The balance exceeds the channel's deposit." };
      }
      const heldElsewhere = (): ClosingSignatureResult => ({
        ok: false,
        status: 409,
        code: "conflict",
        message: `The receiver holds a proof for ${book.get(channel.sender, channel.openBlock)?.balance ?? channel.balance}; close at that balance.`,
      });
      try {
        if (parameters.balance > channel.balance) {
          const proof: ProofRecord = {
            sender: channel.sender,
            openBlock: channel.openBlock,
            balance: parameters.balance,
            // A delegated key's proof is stored with the delegation the contract needs beside it.
            signature:
              delegated && !(await verifier.verify({ ...parameters, signers: signers.slice(0, -1) }))
                ? packDelegatedSignature({ ...delegated, proof: parameters.signature })
                : parameters.signature,
            request: "",
            committedAt: now(),
          };
          const result = await committer.commit({ proof, expectedBalance: channel.balance });
          if (!result.committed) {
            refresh(channel.sender, channel.openBlock, result);
            return heldElsewhere();
          }
          book.recordProof(proof);
        }
        // Durably, before the signature leaves: after a restart the channel must still refuse payments. With a shared
        // database only at the balance it holds: a payment another receiver took meanwhile makes this close lose.
        const agreement = { sender: channel.sender, openBlock: channel.openBlock, balance: channel.balance };
        if (shared) {
          const marked = await shared.commitClosingAgreement(agreement);
          if (!marked.committed) {
            refresh(channel.sender, channel.openBlock, marked);
            return heldElsewhere();
          }
        } else store.saveClosingAgreement(agreement);
      } catch (error) {
        if (!shared) throw error;
        const { message, retryAfterSeconds } = unavailable(error);
        return { ok: false, status: 503, code: "store_unavailable", message, retryAfterSeconds };
      }
      book.markSigned(channel.sender, channel.openBlock);
      const signature = await account.signTypedData(
        closingAgreementTypedData(domain, {
          sender: channel.sender,
          receiver,
          openBlock: channel.openBlock,
          balance: channel.balance,
        }),
      );
      return { ok: true, signature };
    } finally {
      release();
      notify(key);
    }
  }

  /** Runs `task` while holding the channel; throws when the channel stays held for the whole request timeout. */
  async function withChannel<T>(sender: Address, openBlock: bigint, task: () => Promise<T> | T): Promise<T> {
    const key = channelKey(sender, openBlock);
    const release = await hold(key, Date.now() + requestTimeoutMs);
    if (!release) throw new Error(`Channel ${openBlock} of ${sender} stayed busy for over ${requestTimeoutMs} ms.`);
    try {
      return await task();
    } finally {
      release();
      notify(key);
    }
  }

  const status = (channel: ChannelView) => channelStatus(channel, head, confirmations);
  const deposit = (channel: ChannelView) => confirmedDeposit(channel, head, confirmations);

  return {
    address: receiver,
    deployment,
    gatewayPath,
    confirmations,
    requestTimeoutMs,
    book,
    store,
    /** The database receivers share, if any. */
    shared,
    requirements,
    acceptPayment,
    closingSignature,
    status,
    deposit,
    /**
     * Ready for traffic: with a shared database, when it answers (within 2 s) and this receiver's book is caught up
     * with the cursor the chain actor stored (at most 2 blocks behind); on SQLite, always (it started).
     */
    async readiness(): Promise<Readiness> {
      if (!shared) return { ready: true, database: "sqlite", head };
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const storedHead = await Promise.race([
          shared.storedHead(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${readyTimeoutMs} ms`)), readyTimeoutMs);
          }),
        ]);
        const behind = storedHead !== undefined && head + readyLagBlocks < storedHead;
        return {
          ready: !behind,
          database: "ok",
          head,
          storedHead,
          reason: behind ? `The book is at block ${head}, the database at ${storedHead}.` : undefined,
        };
      } catch (error) {
        const reason = `The database is out of reach: ${error instanceof Error ? error.message : String(error)}`;
        return { ready: false, database: "unreachable", head, reason };
      } finally {
        clearTimeout(timer);
      }
    },
    /** The chain head the watcher has processed; confirmations count from here. */
    head: () => head,
    setHead(block: bigint) {
      head = block;
    },
    /** Lets the watcher be asked to sync when a payment names an unknown channel. */
    setCatchUp(fn: CatchUp) {
      catchUp = fn;
    },
    /**
     * The `/stats` totals, added up by the store over every channel. Read again only after the book saw a change or
     * the head moved; while a read runs, callers share it (a burst of /stats costs one read).
     */
    totals(): Promise<BookTotals> {
      const confirmedBlock = head - BigInt(confirmations) + 1n;
      const last = totalsRead;
      const current = last?.version === book.version && last.confirmedBlock === confirmedBlock;
      if (last && (!last.done || current)) return last.value;
      const read = { version: book.version, confirmedBlock, value: readTotals(confirmedBlock), done: false };
      read.value.then(
        () => {
          read.done = true;
        },
        () => {
          if (totalsRead === read) totalsRead = undefined;
        },
      );
      totalsRead = read;
      return read.value;
    },

    /** Open channels owing at least `threshold` (and something) beyond what was withdrawn, with their proofs. */
    withdrawable(threshold: bigint): ChannelProof[] {
      const owing: ChannelProof[] = [];
      // The store picks the channels (a receiver keeps every channel ever paid; most are settled or withdrawn).
      for (const channel of book.select({ paid: true, unsettled: true, owing: true })) {
        const owed = channel.balance - channel.withdrawn;
        if (status(channel) !== "open" || !channel.signature || owed <= 0n || owed < threshold) continue;
        owing.push({
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: channel.balance,
          signature: channel.signature,
        });
      }
      return owing;
    },
    /** Records the receiver's own withdrawal at once (the watcher sees its event only at the next poll). */
    recordWithdrawal(sender: Address, openBlock: bigint, balance: bigint) {
      book.recordWithdrawn(sender, openBlock, balance);
    },
    /** Open or closing channels with a payment: what the operator's close-all closes. */
    closable(): { sender: Address; openBlock: bigint }[] {
      return book
        .select({ paid: true, unsettled: true })
        .filter((c) => c.signature && (status(c) === "open" || status(c) === "closing"))
        .map((c) => ({ sender: c.sender, openBlock: c.openBlock }));
    },
    /**
     * Stops a channel's payments before the operator closes it: under the channel's hold, so no payment is in
     * flight and the close is at the latest balance; durably, so a restart does not take payments that could no
     * longer be redeemed. Returns the proof to close with, or undefined when there is none.
     */
    async beginClose(sender: Address, openBlock: bigint): Promise<(ChannelProof & { marked: boolean }) | undefined> {
      return withChannel(sender, openBlock, async () => {
        if (shared) {
          // Marked at the balance the database holds: a payment another receiver commits meanwhile makes the mark
          // lose, and the close is tried again at that payment's balance.
          for (;;) {
            const channel = book.get(sender, openBlock);
            if (!channel?.signature) return undefined;
            if (channel.closing) {
              return { sender, openBlock, balance: channel.balance, signature: channel.signature, marked: false };
            }
            const result = await shared.commitClosingAgreement({ sender, openBlock, balance: channel.balance });
            if (result.committed) {
              book.markClosing(sender, openBlock);
              return { sender, openBlock, balance: channel.balance, signature: channel.signature, marked: true };
            }
            refresh(sender, openBlock, result);
          }
        }
        const channel = book.get(sender, openBlock);
        if (!channel?.signature) return undefined;
        const marked = !channel.closing;
        if (marked) {
          store.saveClosingAgreement({ sender, openBlock, balance: channel.balance });
          book.markClosing(sender, openBlock);
        }
        return { sender, openBlock, balance: channel.balance, signature: channel.signature, marked };
      });
    },
    /**
     * Takes back the mark of a `beginClose` whose transaction failed, so the channel takes payments again — unless its
     * sender got a closing signature meanwhile: it can close at that balance, so the agreement stays. Under the
     * channel's hold, so a closing signature being made is either done (and kept) or not begun.
     */
    async abortClose(sender: Address, openBlock: bigint): Promise<void> {
      await withChannel(sender, openBlock, async () => {
        if (!book.clearClosing(sender, openBlock)) return;
        if (shared) await shared.deleteClosingAgreement(sender, openBlock);
        else store.deleteClosingAgreement(sender, openBlock);
      }).catch((error: unknown) => {
        // Busy all that time: keep the mark (the channel refuses payments, which loses nobody money) and say so.
        log("warn", `${error instanceof Error ? error.message : String(error)} Its closing mark stays.`);
      });
    },
    /** Records that the operator's close went through (the watcher confirms it with the event later). */
    recordSettled(sender: Address, openBlock: bigint) {
      book.markSettled(sender, openBlock);
    },
    /** Resolves once the signature checks' worker threads (`verifierThreads`) have loaded. */
    verifierReady: verifier.ready,
    /** Stops the signature checks' worker threads (`verifierThreads`), if any. */
    closeVerifier: () => verifier.close(),
  };
}
