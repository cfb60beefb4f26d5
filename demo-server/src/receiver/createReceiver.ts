import {
  type ChannelEcho,
  closingAgreementTypedData,
  type Deployment,
  type Payment,
  type PaymentFailure,
  type PaymentRequirements,
  verifyCloseRequest,
} from "@micro-raiden/web-client/protocol";
import type { Address, Hex, LocalAccount } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ProofWriter } from "../store/proofWriter.ts";
import {
  blocksToConfirmation,
  ChannelBook,
  type ChannelView,
  channelKey,
  channelStatus,
  confirmedDeposit,
} from "./channelBook.ts";
import { GroupCommitter } from "./groupCommitter.ts";
import { SignatureVerifier } from "./signatureVerifier.ts";

export type ReceiverOptions = {
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
};

/** The longest a close request may be valid for, in seconds: a stolen request is soon worthless. */
const maxCloseRequestLifetime = 3600n;

/** Asked when a payment names a channel the book does not know: a channel opened a moment ago may be on chain. */
export type CatchUp = () => Promise<void>;

/** Why a request with a payment cannot be served: a 402 failure, or a 400 for a payment meant for someone else. */
export type PaymentRejection =
  | { kind: "failure"; failure: PaymentFailure; echo: ChannelEcho | undefined }
  | { kind: "bad_request"; code: "wrong_contract" | "wrong_receiver"; message: string };

/** A verified payment, held until the paid response is ready; `settle` commits it durably, `release` drops it. */
export type AcceptedPayment = {
  kind: "accepted";
  echo: ChannelEcho;
  /** Commits the proof (durable when it resolves); call before sending the paid content. */
  settle(): Promise<void>;
  /** Gives the channel back without charging (the content could not be produced). */
  release(): void;
};

/** The receiver's core: channel state, payment acceptance, closing signatures. HTTP-free; see createApp. */
export type Receiver = ReturnType<typeof createReceiver>;

/**
 * Creates the receiver: loads stored proofs and chain events, and accepts payments. Each payment is checked
 * (contract, receiver, channel confirmed and open, amount exactly last balance + price, signature by the sender or
 * its delegated signer, within the deposit) while the channel is held, so parallel requests on one channel are
 * charged one after another, each exactly once; a payment that overtook its predecessor waits briefly for it.
 */
export function createReceiver(options: ReceiverOptions) {
  const { store, account, deployment } = options;
  const confirmations = options.confirmations ?? 1;
  const gatewayPath = options.gatewayPath ?? "/api/1";
  const reorderWindowMs = options.reorderWindowMs ?? 500;
  const receiver = account.address;
  const domain = { chainId: deployment.chainId, contract: deployment.channelManager };
  const book = new ChannelBook();
  book.rebuild(store);
  const verifier = new SignatureVerifier({
    chainId: deployment.chainId,
    contract: deployment.channelManager,
    receiver,
  });
  const committer = new GroupCommitter(
    options.proofWriter ? options.proofWriter.write : (proofs) => store.saveProofs(proofs),
  );
  let head = store.lastBlock()?.number ?? 0n;
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
  async function hold(key: string): Promise<() => void> {
    for (;;) {
      const current = held.get(key);
      if (!current) break;
      await current;
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

  /**
   * A refusal. The channel's last proof is echoed only to someone who proved to be its sender (a valid signature
   * for the balance they presented): it is the sender's own data, and nobody else's business.
   */
  function failure(
    code: PaymentFailure["code"],
    channel: ChannelView | undefined,
    signedBySender: boolean,
    value = 1n,
  ): PaymentRejection {
    return { kind: "failure", failure: { code, value }, echo: channel && signedBySender ? echoOf(channel) : undefined };
  }

  /** Checks a payment for `price` and holds its channel; the caller settles or releases it. */
  async function acceptPayment(payment: Payment, price: bigint): Promise<AcceptedPayment | PaymentRejection> {
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
    const key = channelKey(payment.sender, payment.openBlock);
    const deadline = Date.now() + reorderWindowMs;
    if (!book.get(payment.sender, payment.openBlock)) await catchUp?.().catch(() => undefined);
    let signedBySender: boolean | undefined;
    for (;;) {
      const release = await hold(key);
      const reject = (rejection: PaymentRejection) => {
        release();
        return rejection;
      };
      const channel = book.get(payment.sender, payment.openBlock);
      if (!channel) return reject(failure("nonexisting_channel", undefined, false));
      // Verified once, first: whether the request may see the channel's echo depends on it.
      signedBySender ??= verifier.verify({
        sender: channel.sender,
        openBlock: channel.openBlock,
        balance: payment.balance,
        signature: payment.signature,
        signers: channel.signer ? [channel.signer, channel.sender] : [channel.sender],
      });
      const status = channelStatus(channel, head, confirmations);
      if (status === "pending") {
        const blocksLeft = blocksToConfirmation(channel, head, confirmations);
        return reject(failure("insufficient_confirmations", channel, signedBySender, blocksLeft));
      }
      if (status !== "open" || channel.closingSignatureIssued) {
        return reject(failure("nonexisting_channel", channel, signedBySender));
      }
      if (!signedBySender) return reject(failure("invalid_balance_proof", channel, false));

      const expected = channel.balance + price;
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
      return {
        kind: "accepted",
        echo: { sender: channel.sender, balance: payment.balance, signature: payment.signature },
        async settle() {
          if (done) return;
          done = true;
          try {
            const proof = {
              sender: channel.sender,
              openBlock: channel.openBlock,
              balance: payment.balance,
              signature: payment.signature,
            };
            await committer.commit(proof);
            book.recordProof(proof);
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
      };
    }
  }

  /**
   * The receiver's closing signature at `balance`, given the sender's own proof for it (so only the sender can
   * ask). A proof above the stored balance is stored first (it is a valid, higher payment); one below is refused.
   * Asking again returns the same signature.
   */
  async function closingSignature(parameters: {
    sender: Address;
    openBlock: bigint;
    balance: bigint;
    signature: Hex;
    /** The sender's signed close request for this balance, valid until `deadline` (unix seconds). */
    deadline: bigint;
    requestSignature: Hex;
    /** The current time in unix seconds (for tests). */
    now?: bigint;
  }): Promise<
    | { ok: true; signature: Hex }
    | { ok: false; status: 403 | 404 | 409; code: "unauthorized" | "not_found" | "conflict"; message: string }
  > {
    const key = channelKey(parameters.sender, parameters.openBlock);
    const release = await hold(key);
    try {
      // Read under the hold: a reorg rebuild or a payment may have replaced or moved the channel meanwhile.
      const channel = book.get(parameters.sender, parameters.openBlock);
      if (!channel || channel.settled)
        return { ok: false, status: 404, code: "not_found", message: "No such channel." };
      const now = parameters.now ?? BigInt(Math.floor(Date.now() / 1000));
      if (parameters.deadline < now || parameters.deadline > now + maxCloseRequestLifetime) {
        return {
          ok: false,
          status: 403,
          code: "unauthorized",
          message: `The close request expired or runs too far ahead (deadline must be within ${maxCloseRequestLifetime} s).`,
        };
      }
      // The request must be the sender's own (or its session key's): a balance proof alone may have become public.
      const requested = await verifyCloseRequest({
        domain,
        message: {
          sender: channel.sender,
          receiver,
          openBlock: channel.openBlock,
          balance: parameters.balance,
          deadline: parameters.deadline,
        },
        signature: parameters.requestSignature,
        delegatedSigner: channel.signer,
      });
      const signers = channel.signer ? [channel.signer, channel.sender] : [channel.sender];
      if (!requested || !verifier.verify({ ...parameters, signers })) {
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
      if (parameters.balance > channel.balance) {
        const proof = {
          sender: channel.sender,
          openBlock: channel.openBlock,
          balance: parameters.balance,
          signature: parameters.signature,
        };
        await committer.commit(proof);
        book.recordProof(proof);
      }
      // Durably, before the signature leaves: after a restart the channel must still refuse payments.
      store.saveClosingAgreement({ sender: channel.sender, openBlock: channel.openBlock, balance: channel.balance });
      book.markClosing(channel.sender, channel.openBlock);
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

  return {
    address: receiver,
    deployment,
    confirmations,
    book,
    store,
    requirements,
    acceptPayment,
    closingSignature,
    echoOf,
    /** The chain head the watcher has processed; confirmations count from here. */
    head: () => head,
    setHead(block: bigint) {
      head = block;
    },
    /** Runs `task` while holding the channel, as payments do (the operator closes channels this way). */
    async withChannel<T>(sender: Address, openBlock: bigint, task: () => Promise<T>): Promise<T> {
      const key = channelKey(sender, openBlock);
      const release = await hold(key);
      try {
        return await task();
      } finally {
        release();
        notify(key);
      }
    },
    /** Lets the watcher be asked to sync when a payment names an unknown channel. */
    setCatchUp(fn: CatchUp) {
      catchUp = fn;
    },
    status: (channel: ChannelView) => channelStatus(channel, head, confirmations),
    deposit: (channel: ChannelView) => confirmedDeposit(channel, head, confirmations),
  };
}
