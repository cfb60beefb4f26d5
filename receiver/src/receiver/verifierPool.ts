import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Address } from "viem";
import { type SignatureCheck, SignatureVerifier, type VerifierLog } from "./signatureVerifier.ts";

/** Checks balance proofs; the pool's answers arrive asynchronously, the plain verifier's at once. */
export type ProofVerifier = {
  verify(check: SignatureCheck): boolean | Promise<boolean>;
  /** Resolves once every thread has loaded (or died): a receiver is ready to take payments at full speed then. */
  ready: Promise<void>;
  /** Stops the pool's threads (nothing for the plain verifier). */
  close(): Promise<void>;
};

/**
 * Default `verifierThreads`: one thread per core beyond the two the HTTP thread and the proof writer (or database
 * client) keep busy, at most 4. So none on a machine of 2 cores or fewer, where a pool takes CPU away from the HTTP
 * thread that is already the bottleneck (see `bench:server` in the README).
 */
export function defaultVerifierThreads(cores = availableParallelism()): number {
  return Math.max(0, Math.min(4, cores - 2));
}

/**
 * A verifier for the receiver: `SignatureVerifier` on this thread when `threads` is 0, else a pool of that many
 * worker threads, each with its own `SignatureVerifier` (libsecp256k1 recovery is most of a paid request's CPU, and
 * it needs nothing but the proof). Checks that arrive in one turn of the event loop go to a worker together, in one
 * message, so the HTTP thread pays little per check. A worker that dies is replaced by checks on this thread: its
 * answers are the same, only slower.
 *
 * @example
 * import { createProofVerifier } from "./verifierPool.ts";
 * const verifier = createProofVerifier({ chainId, contract, receiver, threads: 2 });
 * const ok = await verifier.verify({ sender, openBlock, balance, signature, signers: [sender] });
 * await verifier.close();
 */
export function createProofVerifier(parameters: {
  chainId: number;
  contract: Address;
  receiver: Address;
  threads: number;
  log?: VerifierLog | undefined;
}): ProofVerifier {
  const local = new SignatureVerifier(parameters);
  if (!Number.isSafeInteger(parameters.threads) || parameters.threads < 0) {
    throw new Error("verifierThreads must be a whole number, 0 or more.");
  }
  if (parameters.threads === 0) {
    return { verify: (check) => local.verify(check), ready: Promise.resolve(), close: async () => {} };
  }

  // Built, this module is verifierPool.js beside verifierPoolWorker.js; run from the sources, both end in .ts.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const workerUrl = new URL(`./verifierPoolWorker${extension}`, import.meta.url);
  type Pending = { check: SignatureCheck; resolve: (ok: boolean) => void };
  type Member = { worker: Worker; batches: Map<number, Pending[]>; alive: boolean; loaded: Promise<void> };
  const domain = { chainId: parameters.chainId, contract: parameters.contract, receiver: parameters.receiver };
  let nextBatch = 0;
  let queued: Pending[] = [];
  let closing = false;
  const log: VerifierLog = parameters.log ?? ((level, message) => console[level](`[receiver] ${message}`));

  const members: Member[] = Array.from({ length: parameters.threads }, () => {
    let loaded = () => {};
    const member: Member = {
      worker: new Worker(workerUrl, { workerData: domain }),
      batches: new Map(),
      alive: true,
      loaded: new Promise((resolve) => {
        loaded = resolve;
      }),
    };
    // The process may exit with the pool still running: it holds no state worth waiting for.
    member.worker.unref();
    member.worker.on("message", (message: "ready" | { id: number; verdicts: Uint8Array }) => {
      if (message === "ready") return loaded();
      const batch = member.batches.get(message.id);
      member.batches.delete(message.id);
      batch?.forEach((pending, i) => {
        pending.resolve(message.verdicts[i] === 1);
      });
    });
    const die = (reason: string) => {
      if (!member.alive) return;
      member.alive = false;
      loaded();
      if (!closing) log("warn", `a signature worker stopped (${reason}); its checks run on this thread`);
      for (const batch of member.batches.values())
        for (const pending of batch) pending.resolve(local.verify(pending.check));
      member.batches.clear();
    };
    member.worker.on("error", (error) => die(error.message));
    member.worker.on("exit", (code) => die(`exit code ${code}`));
    return member;
  });

  function flush() {
    const batch = queued;
    queued = [];
    // The member with the fewest checks outstanding takes the batch.
    let best: Member | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (const member of members) {
      if (!member.alive) continue;
      let load = 0;
      for (const pending of member.batches.values()) load += pending.length;
      if (load < bestLoad) {
        best = member;
        bestLoad = load;
      }
    }
    if (!best) {
      for (const pending of batch) pending.resolve(local.verify(pending.check));
      return;
    }
    const id = nextBatch++;
    best.batches.set(id, batch);
    best.worker.postMessage({
      id,
      checks: batch.map(({ check }) => [
        check.sender,
        check.openBlock.toString(),
        check.balance.toString(),
        check.signature,
        check.signers.join(","),
      ]),
    });
  }

  return {
    ready: Promise.all(members.map((member) => member.loaded)).then(() => {}),
    verify(check) {
      return new Promise((resolve) => {
        if (queued.length === 0) setImmediate(flush);
        queued.push({ check, resolve });
      });
    },
    async close() {
      closing = true;
      await Promise.all(members.map((member) => member.worker.terminate()));
    },
  };
}
